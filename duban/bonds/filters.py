"""The filters of the bond lists, one FilterSet per list for the page, its Excel export, the programme
totals and the API alike (the selectors apply them)."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from duban.accounts.roles import Role
from duban.accounts.scope import user_units
from duban.core.filters import ConditionFilter, FilterSet
from duban.core.widgets import DateInput
from duban.organisation.models import Unit, UnitKind

from .models import (
    ApplicationOutcome,
    BondApplication,
    BondBatch,
    BondProject,
    ConstructionStatus,
    DebtKind,
    InvestmentArea,
    ProjectCategory,
    ProjectDebt,
    ProjectState,
    ProjectTheme,
    Spending,
    SpendingTarget,
)


def behind_plan_q(on) -> Q | None:
    """Projects with issued bonds whose spending progress (spent ÷ issued) is below the city's target for
    the month (`figures.lagging_projects`), as one condition: spent < issued × target. None when the
    month has no target (no project is behind it)."""
    target = SpendingTarget.objects.filter(year=on.year, month=on.month).values_list(
        "target_ratio", flat=True
    )
    target = target.first()
    if target is None:
        return None
    return Q(issued_amount__gt=0, spent_amount__lt=F("issued_amount") * target)


def _choice(label, choices, everything):
    return django_filters.ChoiceFilter(label=label, choices=choices, empty_label=everything)


def _model(label, queryset, everything):
    return django_filters.ModelChoiceFilter(label=label, queryset=queryset, empty_label=everything)


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (2026-03), cleaned to (year, month)."""

    default_validators = [RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("请按“2026-03”的格式填写月份。"))]

    def clean(self, value):
        value = super().clean(value)
        return tuple(int(part) for part in value.split("-")) if value else None


@extend_schema_field(OpenApiTypes.STR)  # YYYY-MM
class MonthFilter(django_filters.Filter):
    """Projects with a dated row of `model` (its date field `on`) in the month given (the cockpit's
    monthly bond chart opens these lists)."""

    field_class = MonthField

    def __init__(self, *, model, on: str, rows=None, **kwargs):
        super().__init__(**kwargs)
        # Not `self.model`: the FilterSet sets that to the list's model.
        self.dated_model, self.on, self.dated_rows = model, on, rows or {}

    def dated(self, value) -> dict:
        year, month = value
        return {f"{self.on}__year": year, f"{self.on}__month": month}

    def filter(self, queryset, value):
        if not value:
            return queryset
        rows = self.dated_model.objects.filter(**self.dated(value), **self.dated_rows)
        return queryset.filter(pk__in=rows.values("project_id"))


# The bonds issued for a project (its issued debts) and the money spent on it, by month.
ISSUED_BONDS = {"kind": DebtKind.BOND, "is_issued": True}


@extend_schema_field(OpenApiTypes.DATE)
class UpToFilter(MonthFilter):
    """Projects with a dated row of `model` on or before the day given: the projects behind a unit's
    issuance and spending figures as at a period's end (the assessment's records)."""

    field_class = forms.DateField

    def __init__(self, **kwargs):
        super().__init__(widget=DateInput(), **kwargs)

    def dated(self, value) -> dict:
        return {f"{self.on}__lte": value}


class ProjectFilterSet(FilterSet):
    """The project library: by name or code, the project's tags and stage, and the units it belongs to."""

    q = django_filters.CharFilter(
        label=_("名称或编码"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("名称或编码")}),
    )
    theme = _choice(_("专题"), ProjectTheme.choices, _("全部专题"))
    state = _choice(_("状态"), ProjectState.choices, _("全部状态"))
    category = _choice(_("债券类别"), ProjectCategory.choices, _("全部类别"))
    construction_status = _choice(_("建设状态"), ConstructionStatus.choices, _("全部建设状态"))
    applying_unit = _model(_("申报单位"), Unit.objects.filter(is_active=True), _("全部申报单位"))
    county = _model(_("县区"), Unit.objects.filter(kind=UnitKind.COUNTY), _("全部县区"))
    supervising_department = _model(_("主管部门"), Unit.objects.filter(is_active=True), _("全部主管部门"))
    investment_area = _model(_("投向领域"), InvestmentArea.objects.all(), _("全部投向领域"))
    batch = _model(_("批次"), BondBatch.objects.all(), _("全部批次"))
    behind_plan = django_filters.BooleanFilter(label=_("支出进度落后于目标"), method="filter_behind_plan")
    issued_month = MonthFilter(
        label=_("发行月份"), model=ProjectDebt, on="issue_date", rows=ISSUED_BONDS, help_text="YYYY-MM"
    )
    spent_month = MonthFilter(label=_("支出月份"), model=Spending, on="spent_on", help_text="YYYY-MM")
    quota_by = UpToFilter(
        label=_("截至某日已分配额度"),
        model=BondApplication,
        on="allocated_on",
        rows={"allocated_amount__gt": 0},
    )
    issued_by = UpToFilter(
        label=_("截至某日已发行债券"), model=ProjectDebt, on="issue_date", rows=ISSUED_BONDS
    )

    class Meta:
        model = BondProject
        fields = [
            "q",
            "theme",
            "state",
            "category",
            "construction_status",
            "applying_unit",
            "county",
            "supervising_department",
            "investment_area",
            "batch",
            "behind_plan",
            "issued_month",
            "spent_month",
            "quota_by",
            "issued_by",
        ]

    def filter_behind_plan(self, queryset, name, value):
        if value is None:
            return queryset
        behind = behind_plan_q(timezone.localdate())
        if behind is None:
            return queryset.none() if value else queryset
        return queryset.filter(behind) if value else queryset.exclude(behind)

    def narrow_choices(self, user) -> None:
        # A unit applies for itself and the units below it: those are the applying units it can choose.
        if user is not None and user.is_authenticated and user.role == Role.LIAISON:
            self.filters["applying_unit"].queryset = user_units(user)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value)) if value else queryset


# An application is decided once approved or returned (the success rates' denominator).
DECIDED = Q(outcome__in=(ApplicationOutcome.APPROVED, ApplicationOutcome.RETURNED))


class ApplicationFilterSet(FilterSet):
    """The applications (one project in one batch): by batch, outcome, applying unit and the day they were
    decided (the assessment's success rates open this list as they count it)."""

    batch = _model(_("批次"), BondBatch.objects.all(), _("全部批次"))
    outcome = _choice(_("结果"), ApplicationOutcome.choices, _("全部结果"))
    applying_unit = django_filters.ModelChoiceFilter(
        label=_("申报单位"),
        field_name="project__applying_unit",
        queryset=Unit.objects.filter(is_active=True),
        empty_label=_("全部申报单位"),
    )
    decided = ConditionFilter(label=_("已有结果（通过或退回）"), condition=DECIDED)
    decided_after = django_filters.DateFilter(
        label=_("结果日期起"), field_name="decided_at", lookup_expr="date__gte", widget=DateInput()
    )
    decided_before = django_filters.DateFilter(
        label=_("结果日期止"), field_name="decided_at", lookup_expr="date__lte", widget=DateInput()
    )

    class Meta:
        model = BondApplication
        fields = ["batch", "outcome", "applying_unit", "decided", "decided_after", "decided_before"]

    def narrow_choices(self, user) -> None:
        if user is not None and user.is_authenticated and user.role == Role.LIAISON:
            self.filters["applying_unit"].queryset = user_units(user)
