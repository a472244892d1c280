"""The cycle and its schedule: opening a week's cycle, gathering the reports, reminding the units
that have not filed, closing; the hourly job that does all of it when due."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.core.errors import Conflict
from duban.workcalendar.selectors import working_calendar

from .. import providers as registry
from ..models import CycleState, ReportingCycle, ReportItem, ReportState, Timeliness, WeeklyReport
from ..schedule import CycleTimes, cycle_times
from ..workflow import CYCLE_WORKFLOW
from .common import gathered_item, notify_liaisons, report_url
from .snapshots import cycle_snapshot

SCHEDULE_NAME = "weekly.run_cycle"
SCHEDULE_FUNC = "duban.weekly.services.run_cycle_job"


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def times_for(day: date) -> CycleTimes:
    calendar = working_calendar()
    return cycle_times(
        day,
        last_working_day_of_week=calendar.last_working_day_of_week,
        next_working_day=calendar.next_working_day,
    )


def _week_cycle(times: CycleTimes) -> ReportingCycle | None:
    return ReportingCycle.objects.filter(iso_year=times.iso_year, iso_week=times.iso_week).first()


def cycle_open(*, day: date) -> tuple[ReportingCycle | None, bool]:
    """The cycle of the week holding day, created if missing (with its issue number); idempotent.

    None for a week with no working day at all: nobody is asked to report on a holiday week.
    """
    times = times_for(day)
    existing = _week_cycle(times)
    if existing is not None or not times.working_week:
        return existing, False
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = ReportingCycle.objects.filter(iso_year=times.iso_year).aggregate(n=Max("issue_number"))
                cycle = ReportingCycle.objects.create(
                    iso_year=times.iso_year,
                    iso_week=times.iso_week,
                    issue_number=(last["n"] or 0) + 1,
                    starts_on=times.starts_on,
                    ends_on=times.ends_on,
                    due_at=_aware(times.due_at),
                    remind_at=_aware(times.remind_at),
                    close_at=_aware(times.close_at),
                )
                return cycle, True
        except IntegrityError:
            # Another run opened the same week (or took the same number) at the same moment.
            existing = _week_cycle(times)
            if existing is not None:
                return existing, False
    raise Conflict(_("无法开启本周周报周期，请重试。"))


def cycle_sync(*, cycle: ReportingCycle, unit_ids=None) -> dict[str, int]:
    """Ask every unit that leads an open item: a report per unit, an item per open item.

    Adds what is missing and changes nothing else, so it may run any number of times. Items that
    closed during the week stay in the report (they were open when asked); submitted reports get no
    new items.
    """
    if cycle.state != CycleState.OPEN:
        return {"reports": 0, "items": 0}
    wanted: dict[int, list] = defaultdict(list)
    for provider in registry.providers():
        for item in provider.open_items(unit_ids=unit_ids):
            wanted[item.unit_id].append((provider.key, item))
    reports = WeeklyReport.objects.filter(cycle=cycle)
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=list(unit_ids))
    existing = dict(reports.values_list("unit_id", "pk"))
    new_reports = [
        WeeklyReport(cycle=cycle, unit_id=unit_id) for unit_id in wanted if unit_id not in existing
    ]
    WeeklyReport.objects.bulk_create(new_reports, ignore_conflicts=True, batch_size=1000)
    by_unit = dict(reports.values_list("unit_id", "pk"))
    # A report at the office, or with the unit's head, takes no new items.
    locked = set(
        reports.filter(state__in=[ReportState.SUBMITTED, ReportState.HEAD_REVIEW]).values_list(
            "pk", flat=True
        )
    )
    have = set(
        ReportItem.objects.filter(report__in=reports.values("pk")).values_list(
            "report_id", "source", "object_id"
        )
    )
    new_items = [
        gathered_item(by_unit[unit_id], source, item)
        for unit_id, items in wanted.items()
        if by_unit.get(unit_id) is not None and by_unit[unit_id] not in locked
        for source, item in items
        if (by_unit[unit_id], source, item.object_id) not in have
    ]
    ReportItem.objects.bulk_create(new_items, ignore_conflicts=True, batch_size=2000)
    return {"reports": len(new_reports), "items": len(new_items)}


@transaction.atomic
def cycle_remind(*, cycle: ReportingCycle, by=None, unit_ids=None) -> int:
    """Remind the units that have not submitted (all of them, or those named); returns how many.

    `by` is the office pressing the button; the scheduled job reminds as nobody (by=None)."""
    if by is not None:
        CYCLE_WORKFLOW.check(by, cycle, "remind")
    elif cycle.state != CycleState.OPEN:
        return 0
    reports = WeeklyReport.objects.filter(cycle=cycle).exclude(state=ReportState.SUBMITTED)
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=list(unit_ids))
    unit_ids = list(reports.values_list("unit_id", flat=True))
    if not unit_ids:
        return 0
    due = timezone.localtime(cycle.due_at)
    notify_liaisons(
        unit_ids,
        kind="reminder",
        title=_("请于%(due)s前报送%(issue)s周报")
        % {"due": f"{due:%m月%d日 %H:%M}", "issue": cycle.issue_label},
        body=_("本周周报需逐项填写本周完成情况、下周计划、存在问题和完成进度。"),
        url=report_url(),
        sender=by,
    )
    # Counters on the reports (derived values, so a bulk update without audit entries is fine).
    WeeklyReport.objects.filter(cycle=cycle, unit_id__in=unit_ids).update(
        last_reminded_at=timezone.now(), reminder_count=F("reminder_count") + 1
    )
    return len(unit_ids)


@transaction.atomic
def cycle_close(*, cycle: ReportingCycle, by=None) -> int:
    """Close the cycle: every report not submitted becomes missing. Returns how many are missing.

    The office closes by hand (`by`); the scheduled job closes as nobody, and twice changes nothing."""
    current = ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
    if by is not None:
        CYCLE_WORKFLOW.check(by, current, "close")
    elif current.state == CycleState.CLOSED:
        return 0
    missing = (
        WeeklyReport.objects.filter(cycle=current)
        .exclude(state=ReportState.SUBMITTED)
        .update(timeliness=Timeliness.MISSING)
    )
    current.closed_at = timezone.now()
    CYCLE_WORKFLOW.move(current, "close", by=by)
    cycle_snapshot(cycle=current)
    return missing


def _claim_reminder(cycle: ReportingCycle, now: datetime) -> bool:
    # Claimed first, so that two overlapping runs cannot both send it.
    return bool(ReportingCycle.objects.filter(pk=cycle.pk, reminded_at__isnull=True).update(reminded_at=now))


def run_cycle(*, now: datetime | None = None) -> dict[str, int]:
    """The scheduled job's work, idempotent: open this week's cycle and gather its reports (once a
    day), send the reminder when due, close every cycle past its closing time.

    A missed run catches up: the next one opens the week, reminds if the due time has not passed
    yet, and closes what should have closed. Weeks in which no run happened at all are not
    invented afterwards: units that were never asked cannot be missing.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    result = {"opened": 0, "reports": 0, "items": 0, "reminded": 0, "closed": 0, "missing": 0}
    for past in ReportingCycle.objects.filter(state=CycleState.OPEN, close_at__lte=now).order_by("starts_on"):
        result["missing"] += cycle_close(cycle=past)
        result["closed"] += 1
    cycle, created = cycle_open(day=today)
    result["opened"] = int(created)
    if cycle is None or cycle.state != CycleState.OPEN:
        return result
    if now < cycle.due_at and cycle.synced_on != today:
        counts = cycle_sync(cycle=cycle)
        result["reports"], result["items"] = counts["reports"], counts["items"]
        ReportingCycle.objects.filter(pk=cycle.pk).update(synced_on=today)
    if cycle.reminded_at is None and cycle.remind_at <= now < cycle.due_at:
        with transaction.atomic():
            if _claim_reminder(cycle, now):
                result["reminded"] = cycle_remind(cycle=cycle)
    return result


def run_cycle_job() -> dict[str, int]:
    """The django-q2 schedule's entry point."""
    with audit_context(channel=Channel.SYSTEM):
        return run_cycle()


def ensure_schedule() -> bool:
    """Create the hourly schedule if it is missing (idempotent); True when it was created."""
    from django_q.models import Schedule

    _schedule, created = Schedule.objects.get_or_create(
        name=SCHEDULE_NAME,
        defaults={"func": SCHEDULE_FUNC, "schedule_type": Schedule.HOURLY, "repeats": -1},
    )
    return created
