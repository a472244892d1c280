"""The filters of the incentive lists, one FilterSet per list for the page, its Excel export and the
API alike (the selectors apply them)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from duban.accounts.roles import Role
from duban.accounts.scope import user_units
from duban.core.filters import FilterSet, SearchFilter
from duban.core.widgets import DateInput
from duban.organisation.models import Unit, UnitKind

from .models import Campaign, CampaignState, Level, Measure, MeasureList


class MeasureFilterSet(FilterSet):
    """The catalogue: by list, level, ministry or words of the measure."""

    q = SearchFilter(fields=["area", "title", "ministry", "reward"], label=_("关键词"))
    measure_list = django_filters.ModelChoiceFilter(
        label=_("清单"), queryset=MeasureList.objects.all(), empty_label=_("全部清单")
    )
    level = django_filters.ChoiceFilter(
        label=_("激励层级"), choices=Level.choices, method="at_level", empty_label=_("全部层级")
    )
    verified = django_filters.BooleanFilter(label=_("已核对原文"))

    class Meta:
        model = Measure
        fields = ["q", "measure_list", "level", "verified"]

    def at_level(self, queryset, name, value):
        return queryset.filter(levels__icontains=f'"{value}"') if value else queryset


class CampaignFilterSet(FilterSet):
    """The campaign board: by lead unit, by outcome, by year, by deadline (and ordered by it)."""

    q = SearchFilter(fields=["measure__area", "measure__title", "measure__ministry"], label=_("关键词"))
    lead_unit = django_filters.ModelChoiceFilter(
        label=_("牵头单位"), queryset=Unit.objects.filter(is_active=True), empty_label=_("全部牵头单位")
    )
    county = django_filters.ModelChoiceFilter(
        label=_("争创县区"), queryset=Unit.objects.filter(kind=UnitKind.COUNTY), empty_label=_("全部县区")
    )
    state = django_filters.ChoiceFilter(label=_("结果"), choices=CampaignState.choices, empty_label=_("全部"))
    year = django_filters.NumberFilter(label=_("评价年度"))
    due_before = django_filters.DateFilter(
        label=_("推荐截止不晚于"), field_name="submission_due", lookup_expr="lte", widget=DateInput()
    )
    order = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("submission_due", "deadline"), ("lead_unit__sort_order", "lead_unit"), ("year", "year")),
        field_labels={
            "submission_due": _("按截止日期"),
            "lead_unit__sort_order": _("按牵头单位"),
            "year": _("按年度"),
        },
    )

    class Meta:
        model = Campaign
        fields = ["q", "lead_unit", "county", "state", "year", "due_before", "order"]

    def narrow_choices(self, user) -> None:
        if user is not None and user.is_authenticated and user.role == Role.LIAISON:
            self.filters["lead_unit"].queryset = user_units(user)
