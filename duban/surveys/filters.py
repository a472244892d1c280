"""One FilterSet per list of surveys; the selectors apply them, the pages render their forms, the
Excel exports read the same query, and the API's viewsets name them as `filterset_class`."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from duban.core.filters import FilterSet, SearchFilter
from duban.core.widgets import DateInput
from duban.organisation.models import Unit

from .models import ResponseState, RoundState, SurveyForm, SurveyResponse, SurveyRound


class FormFilterSet(FilterSet):
    q = SearchFilter(fields=["title", "code", "table_number", "issuer"], label=_("表名"))

    class Meta:
        model = SurveyForm
        fields = ["q"]


class RoundFilterSet(FilterSet):
    q = SearchFilter(fields=["title", "form__title"], label=_("标题"))
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=RoundState.choices, empty_label=_("全部状态")
    )

    # The assessment's records: the rounds a unit was to answer by a deadline in a period (one response
    # per unit and round, so the rounds listed are the responses `selectors.timeliness_counts_by_unit` counts).
    unit = django_filters.ModelChoiceFilter(
        label=_("填报单位"),
        queryset=Unit.objects.all(),
        field_name="responses__unit",
        empty_label=_("全部单位"),
    )
    deadline_after = django_filters.DateFilter(
        label=_("截止日期起"), field_name="deadline", lookup_expr="gte", widget=DateInput()
    )
    deadline_before = django_filters.DateFilter(
        label=_("截止日期止"), field_name="deadline", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = SurveyRound
        fields = ["q", "state", "unit", "deadline_after", "deadline_before"]


class ResponseFilterSet(FilterSet):
    q = SearchFilter(fields=["unit__name", "unit__short_name"], label=_("单位"))
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=ResponseState.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = SurveyResponse
        fields = ["q", "state"]
