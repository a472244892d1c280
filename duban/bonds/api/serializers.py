"""The bond API's shapes: the library, its parts, the inputs of a step and of the figures."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from .. import balance as bm
from .. import regulations, selectors
from ..models import (
    FIRST_YEAR,
    LAST_YEAR,
    LIBRARY_FIELDS,
    SOURCE_NAME_MAX,
    BondApplication,
    BondBatch,
    BondProject,
    CashFlowRow,
    ProjectDebt,
    ProjectDocument,
    ProjectEvent,
)

# What the transitions write: read through the API, changed only by the steps.
PROGRESS_FIELDS = [
    "state",
    "batch",
    "quota_allocated",
    "issued_amount",
    "onlent_amount",
    "onlent_on",
    "disbursed_amount",
    "spent_amount",
    "version",
]


class ProjectSerializer(serializers.ModelSerializer):
    applying_unit_name = serializers.CharField(source="applying_unit.__str__", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    theme_label = serializers.CharField(source="get_theme_display", read_only=True)
    income_sources = serializers.ListField(
        child=serializers.CharField(max_length=SOURCE_NAME_MAX), required=False
    )

    class Meta:
        model = BondProject
        fields = ["id", *LIBRARY_FIELDS, "applying_unit_name", "theme_label", "state_label", *PROGRESS_FIELDS]
        read_only_fields = PROGRESS_FIELDS
        # A taken code is the service's to say, after it has asked whether the caller may create for
        # the applying unit: a liaison of another unit learns nothing of other units' codes (403).
        extra_kwargs = {"code": {"validators": []}}


class BatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = BondBatch
        fields = "__all__"


class ApplicationSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)

    class Meta:
        model = BondApplication
        fields = "__all__"


class CashFlowTableSerializer(serializers.ListSerializer):
    def validate(self, attrs):
        years = [row["year"] for row in attrs]
        if len(years) != len(set(years)):
            raise serializers.ValidationError(_("年度重复。"))
        return attrs


class CashFlowRowSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    income = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0))
    )

    class Meta:
        model = CashFlowRow
        exclude = ["project"]
        list_serializer_class = CashFlowTableSerializer


class DebtSerializer(serializers.ModelSerializer):
    instalments = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=4), required=False, default=dict
    )

    class Meta:
        model = ProjectDebt
        exclude = ["project"]
        read_only_fields = ["is_issued", "bond_code", "issue_date"]


class DocumentSerializer(serializers.ModelSerializer):
    # The download goes through the page view that applies the access rule, not the media URL.
    file = serializers.FileField(write_only=True)
    name = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = ProjectDocument
        fields = ["id", "kind", "file", "name", "download", "note", "uploaded_at"]
        read_only_fields = ["uploaded_at"]

    def get_name(self, document) -> str:
        return document.file.name.rsplit("/", 1)[-1]

    def get_download(self, document) -> str:
        return reverse("bonds:document_download", args=[document.project_id, document.pk])


class EventSerializer(serializers.ModelSerializer):
    by_name = serializers.CharField(source="by.__str__", read_only=True)

    class Meta:
        model = ProjectEvent
        exclude = ["project"]


class TransitionInputSerializer(serializers.Serializer):
    """Every input a transition may take; each service uses its own (see workflow.Input)."""

    batch = serializers.PrimaryKeyRelatedField(queryset=BondBatch.objects.all(), required=False)
    reason = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    date = serializers.DateField(required=False)
    bond_code = serializers.CharField(required=False, max_length=40)
    issue_date = serializers.DateField(required=False)
    term_years = serializers.IntegerField(required=False, min_value=1, max_value=50)
    rate = serializers.DecimalField(max_digits=6, decimal_places=5, required=False)
    instalments = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=4), required=False
    )
    override_reason = serializers.CharField(required=False, allow_blank=True)


class TransitionOptionSerializer(serializers.Serializer):
    """A step the caller may take now, and the inputs it asks for."""

    name = serializers.CharField()
    label = serializers.CharField()
    inputs = serializers.ListField(child=serializers.CharField())


class DocumentListSerializer(serializers.Serializer):
    """A project's attachments and the checklist of what is still missing."""

    documents = DocumentSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())


class FiguresQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _numbers(row: dict) -> dict:
    return {key: _number(value) for key, value in row.items()}


def figures_data(*, user, year: int) -> dict:
    """The programme's figures for the API, amounts and ratios as JSON numbers."""
    return {
        "year": year,
        "success_rates": {
            by: [_numbers(row) for row in selectors.success_rates(user=user, by=by)]
            for by in selectors.GROUPS
        },
        "quota": _numbers(selectors.quota_won(user=user, year=year)),
        "totals": _numbers(selectors.programme_totals(user=user)),
        "spending": _numbers(selectors.spending_progress(user=user)),
        "lagging": [
            {"id": p.pk, "name": p.name, "spending_progress": _number(p.spending_progress)}
            for p in selectors.lagging_projects(user=user)
        ],
    }


def _schedule(item: dict) -> dict:
    debt = item["debt"]
    return {
        "kind": str(item["kind"]),
        "principal": bm.amount_number(debt.principal),
        "rate": float(debt.rate),
        "issue_year": debt.issue_year,
        "term_years": debt.term_years,
        "lines": [
            {
                "year": line.year,
                "outstanding": bm.amount_number(line.outstanding),
                "interest": bm.amount_number(line.interest),
                "principal": bm.amount_number(line.principal),
            }
            for line in item["lines"]
        ],
    }


def balance_data(project, outcome: selectors.ProjectBalance) -> dict:
    """A project's balance test for the API: the command line's JSON, with the schedules, the rule's
    minimum, what stops the project from being submitted and the documents it lacks."""
    if outcome.result is None:
        return {"error": outcome.error, "passes": False}
    return {
        **bm.result_to_dict(outcome.result, sensitivity_rows=outcome.sensitivity),
        "min_coverage": float(outcome.rule.min_coverage),
        "schedules": [_schedule(item) for item in outcome.schedules],
        "problems": [p.message for p in regulations.project_problems(project)],
        "missing_documents": [str(label) for label in selectors.missing_documents(project)],
    }
