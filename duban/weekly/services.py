"""Changing the weekly cycle: opening, gathering, reminding and closing cycles (the scheduled job),
filling, submitting and reopening reports, and the weekly meeting's agenda and decisions."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.accounts.scope import can_change, is_office
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.organisation.models import Leader, Unit
from duban.workcalendar.selectors import working_calendar

from . import providers as registry
from .models import (
    AgendaItem,
    AgendaKind,
    CycleState,
    DecisionAction,
    ReportingCycle,
    ReportItem,
    ReportState,
    Timeliness,
    WeeklyMeeting,
    WeeklyReport,
)
from .schedule import cycle_times

logger = logging.getLogger(__name__)

SCHEDULE_NAME = "weekly.run_cycle"
SCHEDULE_FUNC = "duban.weekly.services.run_cycle_job"


class WeeklyError(Exception):
    """A step that cannot be taken now; `message` says why, `status` is for the API."""

    def __init__(self, message: str, *, status: int = 409):
        self.message = message
        self.status = status
        super().__init__(message)


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _notify(*, recipients, kind: str, title: str, body: str = "", url: str = "", sender=None) -> int:
    from duban.notifications.services import notify

    return notify(recipients=recipients, kind=kind, title=title, body=body, url=url, sender=sender)


# --- cycles --------------------------------------------------------------------------------------


def times_for(day: date):
    calendar = working_calendar()
    return cycle_times(
        day,
        last_working_day_of_week=calendar.last_working_day_of_week,
        next_working_day=calendar.next_working_day,
    )


def cycle_open(*, day: date) -> tuple[ReportingCycle | None, bool]:
    """The cycle of the week holding day, created if missing (with its issue number); idempotent.

    None for a week with no working day at all: nobody is asked to report on a holiday week.
    """
    times = times_for(day)
    existing = ReportingCycle.objects.filter(iso_year=times.iso_year, iso_week=times.iso_week).first()
    if existing is not None:
        return existing, False
    if not times.working_week:
        return None, False
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = ReportingCycle.objects.filter(iso_year=times.iso_year).aggregate(
                    n=Max("issue_number")
                )["n"]
                cycle = ReportingCycle.objects.create(
                    iso_year=times.iso_year,
                    iso_week=times.iso_week,
                    issue_number=(last or 0) + 1,
                    starts_on=times.starts_on,
                    ends_on=times.ends_on,
                    due_at=_aware(times.due_at),
                    remind_at=_aware(times.remind_at),
                    close_at=_aware(times.close_at),
                )
                return cycle, True
        except IntegrityError:
            # Another run opened the same week (or took the same number) at the same moment.
            existing = ReportingCycle.objects.filter(iso_year=times.iso_year, iso_week=times.iso_week).first()
            if existing is not None:
                return existing, False
    raise WeeklyError(_("无法开启本周周报周期，请重试。"))


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
    locked = set(reports.filter(state=ReportState.SUBMITTED).values_list("pk", flat=True))
    have = set(
        ReportItem.objects.filter(report__in=reports.values("pk")).values_list(
            "report_id", "source", "object_id"
        )
    )
    new_items = []
    for unit_id, items in wanted.items():
        report_id = by_unit.get(unit_id)
        if report_id is None or report_id in locked:
            continue
        for source, item in items:
            if (report_id, source, item.object_id) in have:
                continue
            new_items.append(
                ReportItem(
                    report_id=report_id,
                    source=source,
                    object_id=item.object_id,
                    title=item.title[:200],
                    theme_id=item.theme_id,
                    light=item.light,
                    deadline=item.deadline,
                )
            )
    ReportItem.objects.bulk_create(new_items, ignore_conflicts=True, batch_size=2000)
    return {"reports": len(new_reports), "items": len(new_items)}


def _report_url(report_id: int | None = None) -> str:
    if report_id is None:
        return reverse("weekly:my_report")
    return reverse("weekly:report_detail", args=[report_id])


def cycle_remind(*, cycle: ReportingCycle, by=None, unit_ids=None) -> int:
    """Remind the units that have not submitted (all of them, or those named); returns how many."""
    if by is not None and not is_office(by):
        raise PermissionDenied
    if cycle.state != CycleState.OPEN:
        raise WeeklyError(_("该周期已截止，无需催报。"))
    reports = WeeklyReport.objects.filter(cycle=cycle).exclude(state=ReportState.SUBMITTED)
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=list(unit_ids))
    unit_ids = list(reports.values_list("unit_id", flat=True))
    if not unit_ids:
        return 0
    now = timezone.now()
    due = timezone.localtime(cycle.due_at)
    recipients = User.objects.filter(unit_id__in=unit_ids, role=Role.LIAISON, is_active=True)
    _notify(
        recipients=recipients,
        kind="reminder",
        title=_("请于%(due)s前报送%(issue)s周报")
        % {"due": f"{due:%m月%d日 %H:%M}", "issue": cycle.issue_label},
        body=_("本周周报需逐项填写本周完成情况、下周计划、存在问题和完成进度。"),
        url=_report_url(),
        sender=by,
    )
    # Counters on the reports (derived values, so a bulk update without audit entries is fine).
    WeeklyReport.objects.filter(cycle=cycle, unit_id__in=unit_ids).update(
        last_reminded_at=now, reminder_count=F("reminder_count") + 1
    )
    return len(unit_ids)


def cycle_close(*, cycle: ReportingCycle, by=None) -> int:
    """Close the cycle: every report not submitted becomes missing. Returns how many are missing."""
    if by is not None and not is_office(by):
        raise PermissionDenied
    with transaction.atomic():
        cycle = ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.state == CycleState.CLOSED:
            return 0
        missing = (
            WeeklyReport.objects.filter(cycle=cycle)
            .exclude(state=ReportState.SUBMITTED)
            .update(timeliness=Timeliness.MISSING)
        )
        cycle.state = CycleState.CLOSED
        cycle.closed_at = timezone.now()
        cycle.save(update_fields=["state", "closed_at"])
    return missing


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
    for cycle in ReportingCycle.objects.filter(state=CycleState.OPEN, close_at__lte=now).order_by(
        "starts_on"
    ):
        result["missing"] += cycle_close(cycle=cycle)
        result["closed"] += 1
    cycle, created = cycle_open(day=today)
    result["opened"] = int(created)
    if cycle is None:
        return result
    if cycle.state == CycleState.OPEN and now < cycle.due_at and cycle.synced_on != today:
        counts = cycle_sync(cycle=cycle)
        result["reports"], result["items"] = counts["reports"], counts["items"]
        ReportingCycle.objects.filter(pk=cycle.pk).update(synced_on=today)
    if cycle.state == CycleState.OPEN and cycle.reminded_at is None and cycle.remind_at <= now < cycle.due_at:
        with transaction.atomic():
            # Claim the reminder first, so two overlapping runs cannot both send it.
            claimed = ReportingCycle.objects.filter(pk=cycle.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed:
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


# --- reports -------------------------------------------------------------------------------------


def _require_unit_editor(by, report: WeeklyReport) -> None:
    # Filing is the unit's own act: its liaisons (or those of a unit above it), not the office.
    if not (by.is_authenticated and by.role == Role.LIAISON and can_change(by, report)):
        raise PermissionDenied


def _require_editable(report: WeeklyReport) -> None:
    if report.state == ReportState.SUBMITTED:
        raise WeeklyError(_("周报已提交，不能再修改；如需修改请联系督查室退回。"))
    if report.cycle.state == CycleState.CLOSED and report.reopened_at is None:
        raise WeeklyError(_("该周期已截止，不能再填报；如需补报请联系督查室。"))


ITEM_FIELDS = (
    "done_this_week",
    "plan_next_week",
    "problems",
    "percent",
    "coordination_request",
    "coordination_leader",
    "coordination_unit",
)


@transaction.atomic
def item_save(*, item: ReportItem, by, **fields) -> ReportItem:
    """Save one item of a draft (the form saves as you go); the report becomes a draft."""
    report = (
        WeeklyReport.objects.select_for_update(of=("self",))
        .select_related("cycle", "unit")
        .get(pk=item.report_id)
    )
    _require_unit_editor(by, report)
    _require_editable(report)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"item_save(): unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    if not item.coordination_request.strip():
        item.coordination_leader = item.coordination_unit = None
    elif item.coordination_leader is None and item.coordination_unit is None:
        raise ValidationError({"coordination_request": _("请选择提请协调的领导或单位。")})
    item.updated_at = timezone.now()
    item.full_clean(exclude=["report", "theme"])
    item.save()
    if report.state == ReportState.PENDING:
        report.state = ReportState.DRAFT
        report.save(update_fields=["state", "updated_at"])
    return item


@transaction.atomic
def report_submit(*, report: WeeklyReport, by, expected_version: int | None = None) -> WeeklyReport:
    """Submit and lock the report; on time if first submitted by the due time, else late."""
    current = WeeklyReport.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=report.pk)
    _require_unit_editor(by, current)
    if expected_version is not None and current.version != expected_version:
        raise WeeklyError(_("周报已被他人修改或提交，请刷新后再试。"))
    _require_editable(current)
    unfilled = [i.title for i in current.items.all() if not i.is_filled]
    if unfilled:
        raise ValidationError(
            _("以下事项尚未填写本周完成情况或完成进度：%(titles)s")
            % {"titles": "；".join(unfilled[:10]) + ("……" if len(unfilled) > 10 else "")}
        )
    now = timezone.now()
    if current.timeliness == Timeliness.MISSING:
        # Filed after the close (the office reopened it): late, whatever the clock says.
        current.timeliness = Timeliness.LATE
    elif current.first_submitted_at is None:
        current.timeliness = Timeliness.ON_TIME if now <= current.cycle.due_at else Timeliness.LATE
    if current.first_submitted_at is None:
        current.first_submitted_at = now
    current.state = ReportState.SUBMITTED
    current.submitted_at = now
    current.submitted_by = by
    current.version += 1
    current.save()
    return current


@transaction.atomic
def report_reopen(*, report: WeeklyReport, by, reason: str = "") -> WeeklyReport:
    """The office returns a submitted report for changes, or lets a unit file after the close."""
    if not is_office(by):
        raise PermissionDenied
    current = WeeklyReport.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=report.pk)
    if current.state != ReportState.SUBMITTED and current.cycle.state == CycleState.OPEN:
        raise WeeklyError(_("周报尚未提交，无需退回。"))
    current.state = ReportState.DRAFT
    current.reopened_at = timezone.now()
    current.reopen_reason = (reason or "").strip()[:200]
    current.version += 1
    current.save()
    if current.cycle.state == CycleState.CLOSED:
        # Filing after the close: the new items of the unit are gathered as for an open cycle.
        _add_missing_items(current)
    _notify(
        recipients=User.objects.filter(unit_id=current.unit_id, role=Role.LIAISON, is_active=True),
        kind="returned",
        title=_("%(issue)s周报已退回修改") % {"issue": current.cycle.issue_label},
        body=current.reopen_reason,
        url=_report_url(current.pk),
        sender=by,
    )
    return current


def _add_missing_items(report: WeeklyReport) -> None:
    have = set(report.items.values_list("source", "object_id"))
    new = [
        ReportItem(
            report=report,
            source=provider.key,
            object_id=item.object_id,
            title=item.title[:200],
            theme_id=item.theme_id,
            light=item.light,
            deadline=item.deadline,
        )
        for provider in registry.providers()
        for item in provider.open_items(unit_ids=[report.unit_id])
        if (provider.key, item.object_id) not in have
    ]
    ReportItem.objects.bulk_create(new, ignore_conflicts=True)


def report_refresh(*, report: WeeklyReport) -> None:
    """Add items the unit took on since the cycle opened (when its form is opened)."""
    if report.state != ReportState.SUBMITTED and report.cycle.state == CycleState.OPEN:
        _add_missing_items(report)


# --- the weekly meeting --------------------------------------------------------------------------


@transaction.atomic
def weekly_meeting_create(
    *, cycle: ReportingCycle, by, held_on: date, chair: Leader | None = None, title: str = ""
) -> WeeklyMeeting:
    """The weekly meeting of a cycle (a directives Meeting of kind WEEKLY) with its agenda built
    from the coordination requests and the red items of the cycle's reports."""
    from duban.directives.services import meeting_create

    if not is_office(by):
        raise PermissionDenied
    if WeeklyMeeting.objects.filter(cycle=cycle).exists():
        raise WeeklyError(_("该周期的周例会已创建。"))
    title = title or _("%(city)s周例会（%(issue)s）") % {
        "city": settings.DUBAN_CITY_NAME,
        "issue": cycle.issue_label,
    }
    units = Unit.objects.filter(pk__in=WeeklyReport.objects.filter(cycle=cycle).values("unit_id"))
    meeting = meeting_create(
        by=by, kind="weekly", title=title[:200], held_on=held_on, chair=chair, units=units
    )
    weekly = WeeklyMeeting.objects.create(cycle=cycle, meeting=meeting, created_by=by)
    agenda_build(weekly_meeting=weekly)
    return weekly


def agenda_build(*, weekly_meeting: WeeklyMeeting) -> int:
    """Add the coordination requests, then the red items, not already on the agenda (idempotent)."""
    cycle = weekly_meeting.cycle
    items = ReportItem.objects.filter(report__cycle=cycle).select_related(
        "report__unit", "coordination_leader", "coordination_unit"
    )
    present = set(weekly_meeting.agenda.values_list("report_item_id", "kind"))
    order = (weekly_meeting.agenda.aggregate(n=Max("order"))["n"]) or 0
    new = []
    requests = items.exclude(coordination_request="").filter(report__state=ReportState.SUBMITTED)
    for item in requests.order_by("report__unit__tree_path", "id"):
        if (item.pk, AgendaKind.COORDINATION) in present:
            continue
        order += 1
        to = item.coordination_leader or item.coordination_unit
        new.append(
            AgendaItem(
                weekly_meeting=weekly_meeting,
                order=order,
                kind=AgendaKind.COORDINATION,
                report_item=item,
                source=item.source,
                object_id=item.object_id,
                title=item.title,
                unit=item.report.unit,
                detail=_("%(unit)s提请%(to)s协调：%(text)s")
                % {"unit": item.report.unit, "to": to or "", "text": item.coordination_request},
            )
        )
    on_agenda = {i.report_item_id for i in new} | {pk for pk, _kind in present}
    for item in items.filter(light="red").order_by("deadline", "id"):
        if item.pk in on_agenda:
            continue
        order += 1
        new.append(
            AgendaItem(
                weekly_meeting=weekly_meeting,
                order=order,
                kind=AgendaKind.RED,
                report_item=item,
                source=item.source,
                object_id=item.object_id,
                title=item.title,
                unit=item.report.unit,
                detail=_("红灯事项，办理时限 %(d)s；存在问题：%(p)s")
                % {"d": item.deadline, "p": item.problems or "—"},
            )
        )
    AgendaItem.objects.bulk_create(new)
    return len(new)


def _directive_for(item: AgendaItem):
    from duban.directives.selectors import linked_directive

    directive = linked_directive(item.object_id, for_update=True) if item.source == "directive" else None
    if directive is None:
        raise ValidationError(_("该议题不对应督办事项，只能记录决定或新立事项。"))
    return directive


@transaction.atomic
def agenda_decide(
    *,
    item: AgendaItem,
    by,
    decision: str,
    action: str = DecisionAction.NOTE,
    expected_version: int | None = None,
    deadline: date | None = None,
    unit: Unit | None = None,
    title: str = "",
    theme=None,
    leader: Leader | None = None,
):
    """Record the meeting's decision on an agenda item and carry it out through the directives
    services: a new directive, a new deadline or lead unit for the existing one, or its closure."""
    from duban.directives import rules as directive_rules
    from duban.directives import services as directives

    if not is_office(by):
        raise PermissionDenied
    current = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("weekly_meeting__meeting", "report_item__theme")
        .get(pk=item.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise WeeklyError(_("该议题的决定已被他人修改，请刷新后再试。"))
    if current.is_decided and current.action != DecisionAction.NOTE:
        raise WeeklyError(_("该议题已作出决定并已执行。"))
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": _("请填写会议决定。")})
    if action not in DecisionAction.values:
        raise ValidationError({"action": _("决定事项无效。")})
    meeting = current.weekly_meeting.meeting
    result = None
    note = _("%(meeting)s决定：%(decision)s") % {"meeting": meeting.title, "decision": decision}
    if action == DecisionAction.NEW_DIRECTIVE:
        if theme is None and current.report_item_id:
            theme = current.report_item.theme
        if unit is None or deadline is None or theme is None:
            raise ValidationError(_("新立督办事项需填写牵头单位、办理时限和工作主题。"))
        result = directives.directive_create_from(
            by=by,
            title=(title or current.title)[:200],
            content=decision,
            source="meeting",
            meeting=meeting,
            theme=theme,
            lead_unit=unit,
            responsible_leader=leader or meeting.chair,
            deadline=deadline,
            assign=True,
        )
    elif action == DecisionAction.NEW_DEADLINE:
        if deadline is None:
            raise ValidationError({"deadline": _("请填写新的办理时限。")})
        directive = _directive_for(current)
        result = directives.directive_update(
            directive=directive, by=by, expected_version=directive.version, deadline=deadline
        )
    elif action == DecisionAction.NEW_UNIT:
        if unit is None:
            raise ValidationError({"unit": _("请选择新的牵头单位。")})
        directive = _directive_for(current)
        result = directives.directive_update(
            directive=directive, by=by, expected_version=directive.version, lead_unit=unit
        )
    elif action == DecisionAction.CLOSE:
        directive = _directive_for(current)
        if directive_rules.may_close(by, directive):
            result = directives.directive_close(directive=directive, by=by, note=note)
        else:
            # The meeting closes a matter the unit has not yet asked to close; the decision is the reason.
            result = directives.directive_close_by_decision(
                directive=directive, by=by, note=note or decision or _("周例会决定办结")
            )
    current.decision = decision
    current.action = action
    current.resulting_directive_id = getattr(result, "pk", None)
    current.decided_by = by
    current.decided_at = timezone.now()
    current.version += 1
    current.save()
    return current


@transaction.atomic
def agenda_add(*, weekly_meeting: WeeklyMeeting, by, title: str, detail: str = "", unit: Unit | None = None):
    """An item the office adds by hand (其他议题)."""
    if not is_office(by):
        raise PermissionDenied
    order = (weekly_meeting.agenda.aggregate(n=Max("order"))["n"] or 0) + 1
    item = AgendaItem(
        weekly_meeting=weekly_meeting,
        order=order,
        kind=AgendaKind.OTHER,
        title=title,
        detail=detail,
        unit=unit,
    )
    item.full_clean()
    item.save()
    return item
