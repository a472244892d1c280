"""One FilterSet per list of the weekly cycle; the selectors apply them, the pages render their forms,
the Excel exports read the same query, and the API's viewsets name them as `filterset_class`:

- cycles: the cycle list page, its export and `/api/weekly/cycles/`;
- reports: a cycle's page (the office's table), its export, the report list and `/api/weekly/reports/`;
- items: a report's items and `/api/weekly/items/`;
- decisions: the weekly meeting's agenda, its export and `/api/weekly/decisions/`;
- snapshot items: the red and yellow items when a cycle closed, `/api/weekly/snapshot-items/` (the
  cockpit's weekly trend opens it).
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import visible_to
from duban.core.filters import ConditionFilter, FilterSet, SearchFilter
from duban.core.widgets import DateInput
from duban.organisation.models import Leader, Theme, Unit

from .models import (
    AgendaItem,
    AgendaKind,
    CycleState,
    DecisionAction,
    ReportingCycle,
    ReportItem,
    ReportState,
    SnapshotItem,
    Timeliness,
    WeeklyMeeting,
    WeeklyReport,
)

# A report not yet at the office.
MISSING = ~Q(state=ReportState.SUBMITTED)
# A report whose timeliness is known (on time, late or missing): what the assessment counts.
SETTLED = ~Q(timeliness=Timeliness.PENDING)


class WeeklyFilterSet(FilterSet):
    # Filters a page fixes by its URL (the cycle of a cycle's page): the API offers them, the page's
    # filter row does not.
    fixed_by_page: tuple[str, ...] = ()

    @property
    def page_form(self):
        form = self.form
        for name in self.fixed_by_page:
            form.fields.pop(name, None)
        return form


class CycleFilterSet(WeeklyFilterSet):
    iso_year = django_filters.NumberFilter(label=_("年度"))
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=CycleState.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = ReportingCycle
        fields = ["iso_year", "state"]


class ReportFilterSet(WeeklyFilterSet):
    q = SearchFilter(fields=["unit__name", "unit__short_name"], label=_("单位"))
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=ReportState.choices, empty_label=_("全部状态")
    )
    timeliness = django_filters.ChoiceFilter(
        label=_("报送及时性"), choices=Timeliness.choices, empty_label=_("全部")
    )
    cycle = django_filters.ModelChoiceFilter(label=_("周报周期"), queryset=ReportingCycle.objects.all())
    unit = django_filters.ModelChoiceFilter(label=_("报送单位"), queryset=Unit.objects.none())
    # Not yet at the office (未填报, 草稿, 待单位领导审核): the cockpit's "reports missing" card.
    missing = django_filters.BooleanFilter(label=_("尚未报送"), method="filter_missing")
    # The assessment's records: a unit's reports of the cycles ending in a period whose timeliness is
    # settled (`selectors.timeliness_counts_by_unit` counts the same).
    ends_after = django_filters.DateFilter(
        label=_("周期截止日起"), field_name="cycle__ends_on", lookup_expr="gte", widget=DateInput()
    )
    ends_before = django_filters.DateFilter(
        label=_("周期截止日止"), field_name="cycle__ends_on", lookup_expr="lte", widget=DateInput()
    )
    settled = ConditionFilter(label=_("及时性已认定"), condition=SETTLED)

    # The cycle's page fixes the cycle (and so its dates) and lists every unit's report of it.
    fixed_by_page = ("cycle", "unit", "ends_after", "ends_before", "settled")

    class Meta:
        model = WeeklyReport
        fields = [
            "q",
            "state",
            "timeliness",
            "cycle",
            "unit",
            "missing",
            "ends_after",
            "ends_before",
            "settled",
        ]

    def filter_missing(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(MISSING) if value else queryset.exclude(MISSING)

    def narrow_choices(self, user) -> None:
        self.filters["unit"].queryset = visible_to(user, Unit.objects.all())


def addressed_q(user) -> Q | None:
    """The coordination requests addressed to the user: to him as a leader (提请协调领导), or to his unit
    (提请协调单位). None: nothing is ever addressed to him (the office, an administrator)."""
    asked = ~Q(coordination_request="")
    role = getattr(user, "role", None)
    if role == "leader":
        return asked & Q(coordination_leader__user_id=user.pk)
    if role == "liaison" and user.unit_id:
        return asked & Q(coordination_unit_id=user.unit_id)
    return None


class ItemFilterSet(WeeklyFilterSet):
    report = django_filters.ModelChoiceFilter(label=_("单位周报"), queryset=WeeklyReport.objects.none())
    source = django_filters.CharFilter(label=_("事项类型"))
    cycle = django_filters.ModelChoiceFilter(
        label=_("周报周期"), field_name="report__cycle", queryset=ReportingCycle.objects.all()
    )
    addressed_to = django_filters.ChoiceFilter(
        label=_("提请协调"),
        choices=[("me", _("提请我协调"))],
        empty_label=_("全部"),
        method="filter_addressed_to",
    )

    fixed_by_page = ("report", "source")

    class Meta:
        model = ReportItem
        fields = ["report", "source", "cycle", "addressed_to"]

    def filter_addressed_to(self, queryset, name, value):
        if value != "me":
            return queryset
        condition = addressed_q(self.user) if self.user is not None else None
        return queryset.filter(condition) if condition is not None else queryset.none()

    def narrow_choices(self, user) -> None:
        self.filters["report"].queryset = visible_to(user, WeeklyReport.objects.all())


class DecisionFilterSet(WeeklyFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("议题类型"), choices=AgendaKind.choices, empty_label=_("全部议题")
    )
    action = django_filters.ChoiceFilter(
        label=_("决定事项"), choices=DecisionAction.choices, empty_label=_("全部决定")
    )
    weekly_meeting = django_filters.ModelChoiceFilter(label=_("周例会"), queryset=WeeklyMeeting.objects.all())

    fixed_by_page = ("weekly_meeting",)

    class Meta:
        model = AgendaItem
        fields = ["kind", "action", "weekly_meeting"]


class SnapshotItemFilterSet(WeeklyFilterSet):
    q = SearchFilter(fields=["title", "unit_name"], label=_("关键词"))
    cycle = django_filters.ModelChoiceFilter(
        label=_("周报周期"),
        queryset=ReportingCycle.objects.filter(snapshot_at__isnull=False),
        empty_label=_("全部周期"),
    )
    light = django_filters.ChoiceFilter(
        label=_("亮灯"), choices=[("red", _("红灯")), ("yellow", _("黄灯"))], empty_label=_("红灯和黄灯")
    )
    unit = django_filters.ModelChoiceFilter(label=_("牵头单位"), queryset=Unit.objects.none())
    theme = django_filters.ModelChoiceFilter(
        label=_("工作主题"), queryset=Theme.objects.all(), empty_label=_("全部主题")
    )
    leader = django_filters.ModelChoiceFilter(
        label=_("责任领导"), queryset=Leader.objects.all(), empty_label=_("全部领导")
    )

    class Meta:
        model = SnapshotItem
        fields = ["q", "cycle", "light", "unit", "theme", "leader"]

    def narrow_choices(self, user) -> None:
        self.filters["unit"].queryset = visible_to(user, Unit.objects.all())
