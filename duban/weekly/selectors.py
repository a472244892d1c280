"""Reading the weekly cycle: every function that returns business data takes the user and applies the
data scope; the timeliness figures are for the ranking (which reads every unit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from duban.accounts.roles import Role
from duban.accounts.scope import is_office, visible_to

from .models import (
    AgendaItem,
    Bulletin,
    CycleState,
    ReportingCycle,
    ReportItem,
    ReportState,
    Timeliness,
    WeeklyMeeting,
    WeeklyReport,
)


def cycle_list(*, user) -> QuerySet[ReportingCycle]:
    return visible_to(user, ReportingCycle.objects.all())


def current_cycle(*, today: date | None = None) -> ReportingCycle | None:
    today = today or timezone.localdate()
    return ReportingCycle.objects.filter(starts_on__lte=today, ends_on__gte=today).first()


def report_list(*, user, cycle: ReportingCycle | None = None) -> QuerySet[WeeklyReport]:
    """Reports the user may read. A unit reads its own (and its sub-units'); a leader reads the
    submitted reports of the units in the portfolio, never a draft; the office reads all."""
    reports = visible_to(user, WeeklyReport.objects.all())
    if not is_office(user) and getattr(user, "role", None) != Role.LIAISON:
        reports = reports.filter(state=ReportState.SUBMITTED)
    if cycle is not None:
        reports = reports.filter(cycle=cycle)
    return reports.select_related("cycle", "unit", "submitted_by")


def cycle_reports(*, user, cycle: ReportingCycle, filters: dict | None = None) -> QuerySet[WeeklyReport]:
    """The cycle page's table: each report with its number of items and of coordination requests."""
    reports = report_list(user=user, cycle=cycle).annotate(
        item_count=Count("items"), request_count=Count("items", filter=~Q(items__coordination_request=""))
    )
    filters = filters or {}
    if state := filters.get("state"):
        reports = reports.filter(state=state)
    if timeliness := filters.get("timeliness"):
        reports = reports.filter(timeliness=timeliness)
    if query := (filters.get("q") or "").strip():
        reports = reports.filter(Q(unit__name__icontains=query) | Q(unit__short_name__icontains=query))
    return reports.order_by("unit__tree_path")


def report_counts(*, cycle: ReportingCycle) -> dict[str, int]:
    return WeeklyReport.objects.filter(cycle=cycle).aggregate(
        asked=Count("pk"),
        submitted=Count("pk", filter=Q(state=ReportState.SUBMITTED)),
        draft=Count("pk", filter=Q(state=ReportState.DRAFT)),
        pending=Count("pk", filter=Q(state=ReportState.PENDING)),
        on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
        late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
        missing=Count("pk", filter=Q(timeliness=Timeliness.MISSING)),
    )


def my_report(*, user, cycle: ReportingCycle | None = None) -> WeeklyReport | None:
    """The report of the user's own unit: in the cycle given, else in the latest open cycle (a
    liaison's starting point; an open cycle may be last week's until it closes)."""
    if not user.unit_id:
        return None
    reports = report_list(user=user).filter(unit_id=user.unit_id)
    if cycle is not None:
        return reports.filter(cycle=cycle).first()
    return reports.filter(cycle__state=CycleState.OPEN).order_by("-cycle__starts_on").first()


def report_items(*, user, report: WeeklyReport) -> QuerySet[ReportItem]:
    return (
        visible_to(user, ReportItem.objects.filter(report=report))
        .select_related("theme", "coordination_leader", "coordination_unit")
        .order_by("deadline", "id")
    )


def item_list(*, user) -> QuerySet[ReportItem]:
    """Items of the reports the user may read (same rule as report_list)."""
    return ReportItem.objects.filter(report__in=report_list(user=user).values("pk")).select_related(
        "report__unit", "report__cycle", "theme", "coordination_leader", "coordination_unit"
    )


def can_read_bulletin(user) -> bool:
    return is_office(user) or (user.is_authenticated and user.is_active and user.role == Role.LEADER)


def bulletin_for(*, user, cycle: ReportingCycle) -> Bulletin | None:
    """The bulletin is the city's weekly paper: the office compiles it, the leaders read all of it."""
    if not can_read_bulletin(user):
        return None
    return Bulletin.objects.filter(cycle=cycle).first()


def weekly_meeting_list(*, user) -> QuerySet[WeeklyMeeting]:
    meetings = WeeklyMeeting.objects.select_related("cycle", "meeting", "meeting__chair")
    if user.is_authenticated and user.is_active and getattr(user, "role", None) == Role.LEADER:
        return meetings
    return visible_to(user, meetings)


def agenda_list(*, user, weekly_meeting: WeeklyMeeting | None = None) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.filter(
        weekly_meeting__in=weekly_meeting_list(user=user).values("pk")
    ).select_related("unit", "decided_by", "weekly_meeting__meeting", "weekly_meeting__cycle")
    if weekly_meeting is not None:
        items = items.filter(weekly_meeting=weekly_meeting)
    return items.order_by("weekly_meeting", "order", "id")


# --- timeliness, for the ranking -----------------------------------------------------------------


@dataclass(frozen=True)
class TimelinessFigures:
    asked: int
    on_time: int
    late: int
    missing: int

    @property
    def rate(self) -> float | None:
        """On-time reports over reports asked for (late and missing count against); None if none."""
        return None if self.asked == 0 else self.on_time / self.asked


def _settled(start: date, end: date) -> QuerySet[WeeklyReport]:
    # Only reports whose outcome is known: submitted ones, and every one of a closed cycle.
    return WeeklyReport.objects.filter(cycle__starts_on__gte=start, cycle__starts_on__lte=end).filter(
        Q(cycle__state=CycleState.CLOSED) | ~Q(timeliness=Timeliness.PENDING)
    )


_FIGURES = {
    "asked": Count("pk"),
    "on_time": Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
    "late": Count("pk", filter=Q(timeliness=Timeliness.LATE)),
    "missing": Count("pk", filter=Q(timeliness=Timeliness.MISSING)),
}


def unit_timeliness(unit, start: date, end: date) -> TimelinessFigures:
    """How a unit filed in the cycles that started between start and end (inclusive)."""
    return TimelinessFigures(**_settled(start, end).filter(unit=unit).aggregate(**_FIGURES))


def unit_timeliness_rate(unit, start: date, end: date) -> float | None:
    """The share of the unit's weekly reports filed on time over the period (0..1), None if none asked."""
    return unit_timeliness(unit, start, end).rate


def timeliness_by_unit(start: date, end: date) -> dict[int, TimelinessFigures]:
    """Every unit's figures at once (one query), for ranking thousands of units."""
    rows = _settled(start, end).values("unit_id").annotate(**_FIGURES).order_by()
    return {
        row["unit_id"]: TimelinessFigures(row["asked"], row["on_time"], row["late"], row["missing"])
        for row in rows
    }
