"""Reading the weekly cycle. Every read of a page or the API takes the user and hides what the user's
pages hide (the audit history reads through the same functions); the bulletin's content is the city's
weekly paper and is read whole, by those `rules.may_read_bulletin` lets in; the timeliness figures are
for the ranking (which reads every unit)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.roles import Role
from duban.accounts.scope import is_office, visible_to
from duban.core.filters import filtered
from duban.organisation.models import Unit

from . import providers as registry
from . import rules
from .filters import (
    SETTLED,
    CycleFilterSet,
    DecisionFilterSet,
    ItemFilterSet,
    ReportFilterSet,
    SnapshotItemFilterSet,
)
from .models import (
    AgendaItem,
    Bulletin,
    CycleState,
    LightSnapshot,
    ReportingCycle,
    ReportItem,
    ReportState,
    SnapshotItem,
    Timeliness,
    WeeklyMeeting,
    WeeklyReport,
)

# --- cycles ------------------------------------------------------------------------------------------


def cycle_list(*, user, filters=None) -> QuerySet[ReportingCycle]:
    return filtered(CycleFilterSet, visible_to(user, ReportingCycle.objects.all()), filters, user=user)


def cycle_rows(*, user, filters=None) -> QuerySet[ReportingCycle]:
    """The cycle list page: for the office, how many reports were asked for and submitted; for a
    liaison, the state of their own unit's report."""
    cycles = cycle_list(user=user, filters=filters).order_by("-starts_on")
    if is_office(user):
        return cycles.annotate(
            asked=Count("reports"), submitted=Count("reports", filter=Q(reports__state=ReportState.SUBMITTED))
        )
    if user.role == Role.LIAISON and user.unit_id:
        mine = WeeklyReport.objects.filter(cycle=OuterRef("pk"), unit_id=user.unit_id)
        return cycles.annotate(
            my_state=Subquery(mine.values("state")[:1]), my_report=Subquery(mine.values("pk")[:1])
        )
    return cycles


def current_cycle(*, today: date | None = None) -> ReportingCycle | None:
    today = today or timezone.localdate()
    return ReportingCycle.objects.filter(starts_on__lte=today, ends_on__gte=today).first()


def unit_names() -> list[str]:
    """The names a unit may be typed by on the weekly pages' forms (their datalist)."""
    return list(Unit.objects.filter(is_active=True).order_by("tree_path").values_list("name", flat=True))


# --- reports and their items -------------------------------------------------------------------------


def report_list(*, user, cycle: ReportingCycle | None = None, filters=None) -> QuerySet[WeeklyReport]:
    """Reports the user may read. A unit reads its own (and its sub-units'); a leader reads the
    submitted reports of the units in the portfolio, never a draft; the office reads all."""
    reports = visible_to(user, WeeklyReport.objects.all())
    if not is_office(user) and getattr(user, "role", None) != Role.LIAISON:
        reports = reports.filter(state=ReportState.SUBMITTED)
    if cycle is not None:
        reports = reports.filter(cycle=cycle)
    reports = filtered(ReportFilterSet, reports, filters, user=user)
    return reports.select_related("cycle", "unit", "submitted_by")


def report_rows(*, user, filters=None) -> QuerySet[WeeklyReport]:
    """The report list (the assessment's records of a unit's weekly reports): the newest cycle first,
    as `/api/weekly/reports/` orders them."""
    return report_list(user=user, filters=filters).order_by("-cycle__starts_on", "unit__tree_path", "pk")


def reports_awaiting_head(*, user) -> QuerySet[WeeklyReport]:
    """What waits for a unit's head (单位领导审核): his unit's reports sent to him, oldest first."""
    if not (getattr(user, "is_unit_head", False) and user.unit_id):
        return WeeklyReport.objects.none()
    reports = report_list(user=user).filter(state=ReportState.HEAD_REVIEW, unit_id=user.unit_id)
    return reports.order_by("head_requested_at", "pk")


def cycle_reports(*, user, cycle: ReportingCycle, filters=None) -> QuerySet[WeeklyReport]:
    """The cycle page's table: each report with its number of items and of coordination requests."""
    reports = report_list(user=user, cycle=cycle, filters=filters).annotate(
        item_count=Count("items"), request_count=Count("items", filter=~Q(items__coordination_request=""))
    )
    return reports.order_by("unit__tree_path")


# How reports were filed: the cycle page's counts, the bulletin's overview, the ranking's figures.
_FIGURES = {
    "asked": Count("pk"),
    "on_time": Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
    "late": Count("pk", filter=Q(timeliness=Timeliness.LATE)),
    "missing": Count("pk", filter=Q(timeliness=Timeliness.MISSING)),
}


def report_counts(*, cycle: ReportingCycle) -> dict[str, int]:
    """The cycle's reports by state and by timeliness (one query)."""
    return WeeklyReport.objects.filter(cycle=cycle).aggregate(
        **_FIGURES, **{state: Count("pk", filter=Q(state=state)) for state in ReportState.values}
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


def item_list(*, user, filters=None) -> QuerySet[ReportItem]:
    """Items of the reports the user may read (a leader never reads the items of a draft)."""
    items = ReportItem.objects.filter(report__in=report_list(user=user).values("pk"))
    return filtered(ItemFilterSet, items, filters, user=user).select_related(
        "report__unit", "report__cycle", "theme", "coordination_leader", "coordination_unit"
    )


def report_items(*, user, report: WeeklyReport) -> QuerySet[ReportItem]:
    """The items of one report, as its page shows them."""
    return item_list(user=user).filter(report=report).order_by("deadline", "id")


def starting_points(
    report: WeeklyReport, items: list[ReportItem] | None = None
) -> dict[tuple[str, int], registry.StartingPoint]:
    """Where each item of the report (or each of `items`) stands in its own capability now: the
    directive's current percent and the progress its unit reported in the cycle's week."""
    start, end = _week_bounds(report.cycle)
    by_source: dict[str, list[int]] = {}
    keys = (
        report.items.values_list("source", "object_id")
        if items is None
        else [(i.source, i.object_id) for i in items]
    )
    for source, object_id in keys:
        by_source.setdefault(source, []).append(object_id)
    points = {}
    for source, ids in by_source.items():
        provider = registry.provider(source)
        if provider is not None and hasattr(provider, "starting_points"):
            for object_id, point in provider.starting_points(ids, start=start, end=end).items():
                points[(source, object_id)] = point
    return points


# --- the weekly meeting ------------------------------------------------------------------------------


def weekly_meeting_list(*, user) -> QuerySet[WeeklyMeeting]:
    """The office and every leader read the weekly meetings (their decisions concern the whole city)."""
    meetings = WeeklyMeeting.objects.select_related("cycle", "meeting", "meeting__chair")
    if user.is_authenticated and user.is_active and getattr(user, "role", None) == Role.LEADER:
        return meetings
    return visible_to(user, meetings)


def weekly_meeting_page(meeting, user) -> str | None:
    """The page of the weekly meeting held as this directives meeting, if the user may open it."""
    pk = weekly_meeting_list(user=user).filter(meeting=meeting).values_list("pk", flat=True).first()
    return reverse("weekly:meeting_detail", args=[pk]) if pk is not None else None


def weekly_meeting_for(*, user, cycle: ReportingCycle) -> WeeklyMeeting | None:
    return weekly_meeting_list(user=user).filter(cycle=cycle).first()


def agenda_list(*, user, weekly_meeting: WeeklyMeeting | None = None, filters=None) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.filter(weekly_meeting__in=weekly_meeting_list(user=user).values("pk"))
    if weekly_meeting is not None:
        items = items.filter(weekly_meeting=weekly_meeting)
    items = filtered(DecisionFilterSet, items, filters, user=user)
    return items.select_related(
        "unit", "decided_by", "weekly_meeting__meeting", "weekly_meeting__cycle"
    ).order_by("weekly_meeting", "order", "id")


# --- the bulletin ------------------------------------------------------------------------------------


def bulletin_list(*, user) -> QuerySet[Bulletin]:
    if not rules.may_read_bulletin(user):
        return Bulletin.objects.none()
    return Bulletin.objects.select_related("cycle")


def bulletin_for(*, user, cycle: ReportingCycle) -> Bulletin | None:
    return bulletin_list(user=user).filter(cycle=cycle).first()


def cycle_items(cycle: ReportingCycle) -> QuerySet[ReportItem]:
    """Every item of every report of the cycle (the bulletin, the agenda)."""
    return ReportItem.objects.filter(report__cycle=cycle)


def coordination_items(cycle: ReportingCycle) -> QuerySet[ReportItem]:
    """The coordination requests of the submitted reports, by unit: the bulletin's list and the
    weekly meeting's first agenda items."""
    return (
        cycle_items(cycle)
        .filter(report__state=ReportState.SUBMITTED)
        .exclude(coordination_request="")
        .order_by("report__unit__tree_path", "id")
    )


def _week_bounds(cycle: ReportingCycle) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(cycle.starts_on, time.min))
    return start, start + timedelta(days=7)


def bulletin_figures(cycle: ReportingCycle) -> list[tuple[str, object]]:
    """The bulletin's overview: each provider's figures for the week (the directives' lights as the
    cycle's snapshot counted them, once it has one), then who filed and how."""
    start, end = _week_bounds(cycle)
    lights = snapshot_totals(cycle)
    figures: list[tuple[str, object]] = []
    for provider in registry.providers():
        if lights is not None and provider.key == registry.DirectiveProvider.key:
            figures += provider.summary(start=start, end=end, lights=lights)
        else:
            figures += provider.summary(start=start, end=end)
    counts = report_counts(cycle=cycle)
    figures += [
        (_("应报送单位"), counts["asked"]),
        (_("按时报送"), counts["on_time"]),
        (_("迟报"), counts["late"]),
        (_("未报送"), counts["asked"] - counts[ReportState.SUBMITTED]),
    ]
    return figures


def filing_lists(cycle: ReportingCycle) -> dict[str, list[str]]:
    """The names of the units that filed late and of those that have not filed."""
    reports = WeeklyReport.objects.filter(cycle=cycle).order_by("unit__tree_path")
    late = list(reports.filter(timeliness=Timeliness.LATE).values_list("unit__name", flat=True))
    missing = list(reports.exclude(state=ReportState.SUBMITTED).values_list("unit__name", flat=True))
    return {"late": late, "missing": missing}


def flagged_lists(*, light: str, limit: int | None = None) -> list[tuple[str, list[registry.FlaggedItem]]]:
    """The red (or yellow) list of each provider, with its label; the first `limit` rows of each. The one
    red list: the bulletin (page, Word and Excel) lists it and the weekly meeting's agenda puts it up."""
    return [(p.label, list(islice(p.flagged(light=light), limit))) for p in registry.providers()]


def theme_light_counts(cycle: ReportingCycle) -> dict[int | None, Counter]:
    """How many items show each light, per theme (one query): the directives as the cycle's snapshot
    counted them once it has one, else the lights the cycle's items were gathered with."""
    counts: dict[int | None, Counter] = {}
    if cycle.snapshot_at is not None:
        sums = (
            LightSnapshot.objects.filter(cycle=cycle)
            .values_list("theme_id")
            .annotate(Sum("red"), Sum("yellow"), Sum("green"))
            .order_by()
        )
        for theme_id, red, yellow, green in sums:
            counts[theme_id] = Counter(red=red, yellow=yellow, green=green)
        return counts
    rows = cycle_items(cycle).values_list("theme_id", "light").annotate(n=Count("pk")).order_by()
    for theme_id, light, n in rows:
        counts.setdefault(theme_id, Counter())[light] += n
    return counts


# --- the lights when the cycle closed (its snapshot) ---------------------------------------------------

SNAPSHOT_FIGURES = ("red", "yellow", "green", "overdue", "stale")


def snapshot_totals(cycle: ReportingCycle) -> dict[str, int] | None:
    """The directives' lights when the cycle closed, all units together; None before its snapshot."""
    if cycle.snapshot_at is None:
        return None
    sums = LightSnapshot.objects.filter(cycle=cycle).aggregate(**{f: Sum(f) for f in SNAPSHOT_FIGURES})
    return {figure: value or 0 for figure, value in sums.items()}


def bulletin_flagged(
    cycle: ReportingCycle, *, light: str, limit: int | None = None
) -> list[tuple[str, list[registry.FlaggedItem]]]:
    """The bulletin's red (or yellow) lists: as they stood when the cycle closed (its snapshot), or,
    for a cycle not closed yet, as they stand now (`bulletin_lights_note` says which)."""
    if cycle.snapshot_at is None:
        return flagged_lists(light=light, limit=limit)
    groups = []
    for provider in registry.providers():
        rows = SnapshotItem.objects.filter(cycle=cycle, light=light, source=provider.key).order_by("order")
        rows = rows[:limit] if limit is not None else rows.iterator(chunk_size=5000)
        groups.append(
            (
                provider.label,
                [
                    registry.FlaggedItem(
                        i.object_id,
                        i.title,
                        i.unit_id,
                        i.unit_name,
                        i.theme_name,
                        i.deadline,
                        i.percent,
                        i.leader_name,
                        i.source,
                        theme_id=i.theme_id,
                        leader_id=i.leader_id,
                    )
                    for i in rows
                ],
            )
        )
    return groups


def bulletin_sections(cycle: ReportingCycle) -> list[tuple[str, str, registry.SectionTable]]:
    """The sections other capabilities add to the bulletin (`providers.register_bulletin_section`), each
    as (key, heading, table) for the cycle's week."""
    return [
        (section.key, section.heading, section.table(start=cycle.starts_on, end=cycle.ends_on))
        for section in registry.bulletin_sections()
    ]


def bulletin_lights_note(cycle: ReportingCycle) -> str:
    """Where the bulletin's lights come from, in a sentence."""
    if cycle.snapshot_at is None:
        return _("本期尚未截止，亮灯情况为编制时的实时数据。")
    moment = f"{timezone.localtime(cycle.snapshot_at):%Y-%m-%d %H:%M}"
    if cycle.snapshot_backfilled:
        return _("本期截止时未留存亮灯快照，亮灯情况为%(moment)s补记的快照。") % {"moment": moment}
    return _("亮灯情况为本期截止时（%(moment)s）的快照。") % {"moment": moment}


def snapshot_item_list(*, user, filters=None) -> QuerySet[SnapshotItem]:
    """The red and yellow items of past cycles' snapshots the user may read (the trend chart's lists)."""
    items = visible_to(user, SnapshotItem.objects.all())
    items = filtered(SnapshotItemFilterSet, items, filters, user=user)
    return items.select_related("cycle").order_by("-cycle__starts_on", "light", "order", "id")


def light_trend(*, user, weeks: int = 12) -> list[dict]:
    """Red and yellow per week over the last `weeks` cycles with a snapshot, as the user's scope counts
    them then (two queries): [{"cycle", "red", "yellow"}], oldest first."""
    cycles = list(ReportingCycle.objects.filter(snapshot_at__isnull=False).order_by("-starts_on")[:weeks])
    sums = {
        row["cycle_id"]: row
        for row in visible_to(user, LightSnapshot.objects.filter(cycle__in=[c.pk for c in cycles]))
        .values("cycle_id")
        .annotate(red=Sum("red"), yellow=Sum("yellow"))
        .order_by()
    }
    return [
        {
            "cycle": cycle,
            "red": (sums.get(cycle.pk) or {}).get("red") or 0,
            "yellow": (sums.get(cycle.pk) or {}).get("yellow") or 0,
        }
        for cycle in reversed(cycles)
    ]


ITEM_COLUMNS = (
    "report__unit__name",
    "report__state",
    "report__timeliness",
    "source",
    "object_id",
    "title",
    "theme__name",
    "light",
    "deadline",
    "percent",
    "done_this_week",
    "plan_next_week",
    "problems",
    "coordination_request",
    "coordination_leader__name",
    "coordination_unit__name",
    "report__submitted_at",
    "theme_id",
    "report__unit_id",
)


def _rows(items: QuerySet[ReportItem]) -> Iterator[dict]:
    # Plain values in chunks: the bulletin of a province-sized cycle streams 100,000 of them.
    for values in items.values_list(*ITEM_COLUMNS).iterator(chunk_size=5000):
        yield dict(zip(ITEM_COLUMNS, values, strict=True))


def items_by_theme(cycle: ReportingCycle) -> Iterator[dict]:
    return _rows(
        cycle_items(cycle).order_by(
            "theme__sort_order", "theme_id", "report__unit__tree_path", "deadline", "id"
        )
    )


def items_by_unit(cycle: ReportingCycle) -> Iterator[dict]:
    return _rows(cycle_items(cycle).order_by("report__unit__tree_path", "deadline", "id"))


def coordination_requests(cycle: ReportingCycle) -> Iterator[dict]:
    return _rows(coordination_items(cycle))


# --- timeliness, for the ranking ---------------------------------------------------------------------


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


# The history page (`audit:object_history`) reads these models through the selectors of their own pages
# (a report's items through its report: a leader never reads a draft, not even its history).
HISTORY_READERS = {
    ReportingCycle: cycle_list,
    WeeklyReport: report_list,
    ReportItem: item_list,
    Bulletin: bulletin_list,
    WeeklyMeeting: weekly_meeting_list,
    AgendaItem: agenda_list,
    SnapshotItem: snapshot_item_list,
}


def timeliness_counts_by_unit(*, start: date, end: date) -> dict[int, tuple[int, int]]:
    """For the assessment (考核排名), one query over every unit: {unit id: (on time, due)} of the weekly
    reports of the cycles ending in [start, end] whose timeliness is settled."""
    from .models import Timeliness

    reports = WeeklyReport.objects.filter(SETTLED, cycle__ends_on__range=(start, end))
    counts = (
        reports.order_by()
        .values("unit_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)))
    )
    return {row["unit_id"]: (row["done"], row["total"]) for row in counts}


def coordination_list(*, user, filters=None) -> QuerySet[ReportItem]:
    """The items of the reports the user may read that ask for coordination, narrowed by
    `ItemFilterSet` (`?addressed_to=me`: those asking the user or his unit), in the API's order."""
    return (
        item_list(user=user, filters=filters)
        .exclude(coordination_request="")
        .order_by("report", "deadline", "id")
    )


def cockpit_cards(*, user, today: date) -> list:
    """The weekly cycle's cards of the cockpit, one query each: for the office, the reports of the
    current cycle not yet at the office (the cycle's page is the office's; a leader reads only submitted
    reports), counted with the cycle page's `missing` filter; for whoever may be asked, the current
    cycle's coordination requests addressed to him (`?addressed_to=me`)."""
    from django.utils.translation import gettext_lazy

    from duban.core.cards import card

    from .filters import MISSING, addressed_q

    cycle = current_cycle(today=today)
    if cycle is None:
        return []
    if addressed_q(user) is not None:
        query = {"cycle": cycle.pk, "addressed_to": "me"}
        return [
            card(
                "weekly_coordination",
                gettext_lazy("待我协调（本期周报提请）"),
                coordination_list(user=user, filters=query).count(),
                page="weekly:coordination_list",
                api="api:weekly-item-list",
                query=query,
                tone="yellow",
            )
        ]
    if not is_office(user):
        return []
    count = report_list(user=user, cycle=cycle).filter(MISSING).count()
    return [
        card(
            "weekly_missing",
            gettext_lazy("本期周报未报送"),
            count,
            page="weekly:cycle_detail",
            page_args=(cycle.pk,),
            api="api:weekly-report-list",
            query={"cycle": cycle.pk, "missing": "true"},
            tone="yellow",
        )
    ]
