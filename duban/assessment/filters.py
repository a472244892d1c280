"""One FilterSet per list of the assessment (the page, the Excel export and the API share it)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from duban.core.filters import FilterSet, SearchFilter
from duban.organisation.models import Unit

from .models import (
    Appeal,
    AppealState,
    EntryState,
    ExperienceState,
    ManualEntry,
    Period,
    PeriodType,
    Scheme,
    TypicalExperience,
    Visibility,
)


def _choice(label, choices, everything):
    return django_filters.ChoiceFilter(label=label, choices=choices, empty_label=everything)


def _unit():
    return django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=Unit.objects.filter(is_active=True), empty_label=_("全部单位")
    )


class SchemeFilterSet(FilterSet):
    q = SearchFilter(fields=["name"], label=_("方案名称"))
    period_type = _choice(_("考核周期"), PeriodType.choices, _("全部周期"))
    visibility = _choice(_("公开范围"), Visibility.choices, _("全部"))

    class Meta:
        model = Scheme
        fields = ["q", "period_type", "visibility"]


class _PeriodWork(FilterSet):
    unit = _unit()
    period = django_filters.ModelChoiceFilter(
        label=_("考核期"), queryset=Period.objects.select_related("scheme"), empty_label=_("全部考核期")
    )

    def narrow_choices(self, user) -> None:
        """The periods of the schemes the user reads (drafts too: entries are made before publication)."""
        from .selectors import scheme_list

        if user is not None:
            self.filters["period"].queryset = Period.objects.filter(
                scheme__in=scheme_list(user=user).values("pk")
            ).select_related("scheme")


class EntryFilterSet(_PeriodWork):
    state = _choice(_("状态"), EntryState.choices, _("全部状态"))

    class Meta:
        model = ManualEntry
        fields = ["unit", "period", "state"]


class AppealFilterSet(_PeriodWork):
    state = _choice(_("状态"), AppealState.choices, _("全部状态"))

    class Meta:
        model = Appeal
        fields = ["unit", "period", "state"]


class ExperienceFilterSet(FilterSet):
    q = SearchFilter(fields=["title", "summary"], label=_("关键词"))
    unit = _unit()
    state = _choice(_("状态"), ExperienceState.choices, _("全部状态"))

    class Meta:
        model = TypicalExperience
        fields = ["q", "unit", "state"]
