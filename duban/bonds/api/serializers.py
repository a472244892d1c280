from decimal import Decimal

from rest_framework import serializers

from ..models import (
    LIBRARY_FIELDS,
    BondApplication,
    BondBatch,
    BondProject,
    CashFlowRow,
    ProjectDebt,
    ProjectDocument,
    ProjectEvent,
)


class ProjectSerializer(serializers.ModelSerializer):
    applying_unit_name = serializers.CharField(source="applying_unit.__str__", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    theme_label = serializers.CharField(source="get_theme_display", read_only=True)
    income_sources = serializers.ListField(child=serializers.CharField(max_length=40), required=False)

    class Meta:
        model = BondProject
        fields = [
            "id",
            *LIBRARY_FIELDS,
            "applying_unit_name",
            "theme_label",
            "state",
            "state_label",
            "batch",
            "quota_allocated",
            "issued_amount",
            "onlent_amount",
            "onlent_on",
            "disbursed_amount",
            "spent_amount",
            "version",
        ]
        read_only_fields = [
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


class BatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = BondBatch
        fields = ["id", "name", "year", "quarter", "opens_on", "closes_on", "note"]


class ApplicationSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)

    class Meta:
        model = BondApplication
        fields = [
            "id",
            "project",
            "project_name",
            "batch",
            "applied_amount",
            "outcome",
            "submitted_at",
            "decided_at",
            "returned_at_state",
            "return_reason",
            "allocated_amount",
            "allocated_on",
        ]


class CashFlowRowSerializer(serializers.ModelSerializer):
    income = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0))
    )

    class Meta:
        model = CashFlowRow
        fields = ["id", "year", "income", "operating_cost", "tax"]


class DebtSerializer(serializers.ModelSerializer):
    instalments = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=4), required=False, default=dict
    )

    class Meta:
        model = ProjectDebt
        fields = [
            "id",
            "kind",
            "lender",
            "principal",
            "rate",
            "issue_year",
            "term_years",
            "instalments",
            "is_issued",
            "bond_code",
            "issue_date",
        ]
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
        from django.urls import reverse

        return reverse("bonds:document_download", args=[document.project_id, document.pk])


class EventSerializer(serializers.ModelSerializer):
    by_name = serializers.CharField(source="by.__str__", read_only=True)

    class Meta:
        model = ProjectEvent
        fields = [
            "id",
            "transition",
            "from_state",
            "to_state",
            "by",
            "by_name",
            "at",
            "batch",
            "note",
            "amount",
            "data",
        ]


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
