"""The filters of the bond lists, one FilterSet per list for the page, its Excel export, the programme
totals and the API alike (the selectors apply them)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts.roles import Role
from duban.accounts.scope import user_units
from duban.core.filters import FilterSet
from duban.organisation.models import Unit, UnitKind

from .models import (
    ApplicationOutcome,
    BondApplication,
    BondBatch,
    BondProject,
    ConstructionStatus,
    InvestmentArea,
    ProjectCategory,
    ProjectState,
    ProjectTheme,
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


class ApplicationFilterSet(FilterSet):
    """The applications (one project in one batch): by batch and by outcome."""

    batch = _model(_("批次"), BondBatch.objects.all(), _("全部批次"))
    outcome = _choice(_("结果"), ApplicationOutcome.choices, _("全部结果"))

    class Meta:
        model = BondApplication
        fields = ["batch", "outcome"]
