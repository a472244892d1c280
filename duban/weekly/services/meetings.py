"""The weekly meeting (周例会): created for a cycle with its agenda (the coordination requests, then the
red items), items the office adds, and the meeting's decisions carried out through the directives
services — a new directive, a new deadline or lead unit for the existing one, or its closure."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.concurrency import lock_for_update
from duban.core.errors import Conflict, Invalid
from duban.core.rules import require
from duban.core.services import model_create
from duban.directives import rules as directive_rules
from duban.directives import selectors as directive_selectors
from duban.directives import services as directives
from duban.organisation.models import Leader, Unit

from .. import selectors
from ..models import AgendaItem, AgendaKind, DecisionAction, ReportingCycle, ReportItem, WeeklyMeeting
from ..providers import FlaggedItem
from ..rules import may_manage_cycles
from ..workflow import DECISION_WORKFLOW


@transaction.atomic
def weekly_meeting_create(
    *, cycle: ReportingCycle, by, held_on: date, chair: Leader | None = None, title: str = ""
) -> WeeklyMeeting:
    """The weekly meeting of a cycle (a directives Meeting of kind WEEKLY) with its agenda built
    from the coordination requests and the red items of the cycle's reports."""
    require(may_manage_cycles, by)
    if WeeklyMeeting.objects.filter(cycle=cycle).exists():
        raise Conflict(_("该周期的周例会已创建。"))
    title = title or _("%(city)s周例会（%(issue)s）") % {
        "city": settings.DUBAN_CITY_NAME,
        "issue": cycle.issue_label,
    }
    units = Unit.objects.filter(pk__in=selectors.report_list(user=by, cycle=cycle).values("unit_id"))
    meeting = directives.meeting_create(
        by=by, kind="weekly", title=title[:200], held_on=held_on, chair=chair, units=units
    )
    weekly = WeeklyMeeting.objects.create(cycle=cycle, meeting=meeting, created_by=by)
    agenda_build(weekly_meeting=weekly)
    return weekly


def _agenda_row(weekly_meeting: WeeklyMeeting, order: int, kind: str, item: ReportItem, detail: str):
    return AgendaItem(
        weekly_meeting=weekly_meeting,
        order=order,
        kind=kind,
        report_item=item,
        source=item.source,
        object_id=item.object_id,
        title=item.title,
        unit=item.report.unit,
        detail=detail,
    )


def _request_detail(item: ReportItem) -> str:
    to = item.coordination_leader or item.coordination_unit
    return _("%(unit)s提请%(to)s协调：%(text)s") % {
        "unit": item.report.unit,
        "to": to or "",
        "text": item.coordination_request,
    }


def _red_row(weekly_meeting, order: int, flagged: FlaggedItem, item: ReportItem | None) -> AgendaItem:
    """A red item of the bulletin's red list, with what its unit reported this week (if it did)."""
    detail = _("红灯事项，办理时限 %(d)s；存在问题：%(p)s") % {
        "d": flagged.deadline or "—",
        "p": (item.problems if item else "") or "—",
    }
    return AgendaItem(
        weekly_meeting=weekly_meeting,
        order=order,
        kind=AgendaKind.RED,
        report_item=item,
        source=flagged.source,
        object_id=flagged.object_id,
        title=flagged.title[:200],
        unit_id=flagged.unit_id,
        detail=detail,
    )


def agenda_build(*, weekly_meeting: WeeklyMeeting) -> int:
    """Add the coordination requests, then the red list (the bulletin's: `selectors.flagged_lists`), not
    already on the agenda (idempotent). A red item that asks for coordination is on it once, as the
    request."""
    cycle = weekly_meeting.cycle
    on_agenda = set(weekly_meeting.agenda.exclude(source="").values_list("source", "object_id"))
    order = weekly_meeting.agenda.aggregate(n=Max("order"))["n"] or 0
    new = []
    requests = selectors.coordination_items(cycle).select_related(
        "report__unit", "coordination_leader", "coordination_unit"
    )
    for item in requests:
        if (item.source, item.object_id) in on_agenda:
            continue
        order += 1
        new.append(_agenda_row(weekly_meeting, order, AgendaKind.COORDINATION, item, _request_detail(item)))
        on_agenda.add((item.source, item.object_id))
    red = [f for _label, rows in selectors.flagged_lists(light="red") for f in rows]
    reported = {}
    for source in {f.source for f in red}:
        ids = [f.object_id for f in red if f.source == source]
        for item in selectors.cycle_items(cycle).filter(source=source, object_id__in=ids):
            reported[(source, item.object_id)] = item
    for flagged in red:
        key = (flagged.source, flagged.object_id)
        if key in on_agenda:
            continue
        order += 1
        new.append(_red_row(weekly_meeting, order, flagged, reported.get(key)))
        on_agenda.add(key)
    AgendaItem.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def agenda_add(*, weekly_meeting: WeeklyMeeting, by, title: str, detail: str = "", unit: Unit | None = None):
    """An item the office adds by hand (其他议题)."""
    require(may_manage_cycles, by, weekly_meeting)
    order = (weekly_meeting.agenda.aggregate(n=Max("order"))["n"] or 0) + 1
    return model_create(
        AgendaItem,
        weekly_meeting=weekly_meeting,
        order=order,
        kind=AgendaKind.OTHER,
        title=title,
        detail=detail,
        unit=unit,
    )


# --- decisions -------------------------------------------------------------------------------------


def _directive_for(item: AgendaItem):
    directive = (
        directive_selectors.linked_directive(item.object_id, for_update=True)
        if item.source == "directive"
        else None
    )
    if directive is None:
        raise Invalid(_("该议题不对应督办事项，只能记录决定或新立事项。"))
    return directive


def _required(value, field: str, message: str):
    if value is None:
        raise Invalid(message, fields={field: [message]})
    return value


def _new_directive(
    item: AgendaItem,
    *,
    by,
    decision: str,
    unit=None,
    deadline=None,
    theme=None,
    title="",
    leader=None,
    **_inputs,
):
    meeting = item.weekly_meeting.meeting
    theme = theme or (item.report_item.theme if item.report_item_id else None)
    if unit is None or deadline is None or theme is None:
        raise Invalid(_("新立督办事项需填写牵头单位、办理时限和工作主题。"))
    return directives.directive_create_from(
        by=by,
        title=(title or item.title)[:200],
        content=decision,
        source="meeting",
        meeting=meeting,
        theme=theme,
        lead_unit=unit,
        responsible_leader=leader or meeting.chair,
        deadline=deadline,
        assign=True,
    )


def _new_deadline(item: AgendaItem, *, by, deadline=None, **_inputs):
    deadline = _required(deadline, "deadline", _("请填写新的办理时限。"))
    directive = _directive_for(item)
    return directives.directive_update(
        directive=directive, by=by, expected_version=directive.version, deadline=deadline
    )


def _new_unit(item: AgendaItem, *, by, unit=None, **_inputs):
    unit = _required(unit, "unit", _("请选择新的牵头单位。"))
    directive = _directive_for(item)
    return directives.directive_update(
        directive=directive, by=by, expected_version=directive.version, lead_unit=unit
    )


def _close(item: AgendaItem, *, by, decision: str, confirm_close: bool = False, **_inputs):
    directive = _directive_for(item)
    note = _("%(meeting)s决定：%(decision)s") % {
        "meeting": item.weekly_meeting.meeting.title,
        "decision": decision,
    }
    if directive_rules.may_close(by, directive):
        return directives.directive_close(directive=directive, by=by, note=note)
    # The meeting closes a matter the unit has not yet asked to close; the decision is the reason,
    # and the office confirms it has read what that does (the refusal says it otherwise).
    return directives.directive_close_by_decision(
        directive=directive, by=by, note=note, confirmed=confirm_close
    )


# What each decision does besides being recorded (a note only records it).
CARRY_OUT = {
    DecisionAction.NOTE: lambda item, **_inputs: None,
    DecisionAction.NEW_DIRECTIVE: _new_directive,
    DecisionAction.NEW_DEADLINE: _new_deadline,
    DecisionAction.NEW_UNIT: _new_unit,
    DecisionAction.CLOSE: _close,
}


@transaction.atomic
def agenda_decide(
    *,
    item: AgendaItem,
    by,
    decision: str,
    action: str = DecisionAction.NOTE,
    expected_version: int | None = None,
    **inputs,
) -> AgendaItem:
    """Record the meeting's decision on an agenda item and carry it out through the directives
    services. `inputs`: deadline, unit, title, theme, leader (what the action needs)."""
    if expected_version is None:
        current = AgendaItem.objects.select_for_update().get(pk=item.pk)
    else:
        current = lock_for_update(item, expected_version=expected_version, submitted={"decision": decision})
    DECISION_WORKFLOW.check(by, current, "decide")
    decision = (decision or "").strip()
    if not decision:
        raise Invalid(_("请填写会议决定。"), fields={"decision": [_("请填写会议决定。")]})
    if action not in CARRY_OUT:
        raise Invalid(_("决定事项无效。"), fields={"action": [_("决定事项无效。")]})
    result = CARRY_OUT[action](current, by=by, decision=decision, **inputs)
    current.decision = decision
    current.action = action
    current.resulting_directive_id = getattr(result, "pk", None)
    current.decided_by = by
    current.decided_at = timezone.now()
    return DECISION_WORKFLOW.move(current, "decide", by=by)
