"""The escalation ladder (逐级督办): the morning job proposes each directive's next step, the office
issues the proposals in bulk (a step its leader must approve goes to him first), and issuing makes the
step's document (a reminder, or a notice numbered per year and colour), tells the unit and sets the
date of its reply. The unit answers the document (`notice_reply`, `reminder_reply`); a step left
unanswered past that date proposes the next one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.rules import is_office_user
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.core.errors import Invalid, TransitionRefused
from duban.core.rules import require
from duban.workcalendar.selectors import add_working_days, is_working_day

from ..models import (
    ACTIVE_STATES,
    Approver,
    Directive,
    Escalation,
    EscalationState,
    EscalationStep,
    EventKind,
    StepDocument,
    SupervisionReply,
)
from ..models.escalation import HELD_STATES, OPEN_STATES, STEP_LIGHTS
from ..rules import may_approve_escalation, may_issue_escalation
from .common import leader_user, notify_about, notify_users, record
from .supervision import numbered_notice, reminder_send

# --- proposing ------------------------------------------------------------------------------------


def past_by(today: date, working_days: int) -> date:
    """The day before which a date is at least `working_days` working days past `today`
    (`working_days_between(day, today) >= working_days`); 0: any day before today."""
    if working_days <= 0:
        return today
    # The working days counted back from today, today included when it is one.
    latest = today if is_working_day(today) else add_working_days(today, -1)
    return add_working_days(latest, -(working_days - 1))


def _candidates(step: EscalationStep, previous: EscalationStep | None, today: date):
    """The directives for which `step` is due: active, lit as it asks, overdue as it asks, standing on
    the step before it (or on none, for the first) with nothing open, and — when it asks — that
    step's document unanswered past its reply date."""
    rungs = Escalation.objects.filter(directive=OuterRef("pk"))
    directives = Directive.objects.filter(
        state__in=ACTIVE_STATES, light__in=STEP_LIGHTS[step.light]
    ).annotate(top=Max("escalations__step__order", filter=Q(escalations__state__in=HELD_STATES)))
    # Nothing while a step waits; and a step the leader refused is not proposed again.
    directives = directives.exclude(Exists(rungs.filter(state__in=OPEN_STATES)))
    directives = directives.exclude(Exists(rungs.filter(step=step, state=EscalationState.REFUSED)))
    if step.overdue_days is not None:
        directives = directives.filter(deadline__lt=past_by(today, step.overdue_days))
    if previous is None:
        return directives.filter(top__isnull=True)
    directives = directives.filter(top=previous.order)
    if step.unanswered_days is not None:
        replies = SupervisionReply.objects.filter(
            Q(notice_id=OuterRef("notice_id")) | Q(reminder_id=OuterRef("reminder_id"))
        )
        unanswered = rungs.filter(
            step=previous,
            state=EscalationState.ISSUED,
            reply_by__lt=past_by(today, step.unanswered_days),
        ).exclude(Exists(replies))
        directives = directives.filter(Exists(unanswered))
    return directives


def propose_escalations(*, today: date | None = None) -> dict[str, int]:
    """Propose the next step of the ladder for every directive whose condition holds, and withdraw the
    proposals of directives no longer being worked on. Set-based: a few statements per step of the
    ladder, none per directive."""
    today = today or timezone.localdate()
    steps = list(EscalationStep.objects.filter(active=True).order_by("order"))
    withdrawn = (
        Escalation.objects.filter(state=EscalationState.PROPOSED)
        .exclude(directive__state__in=ACTIVE_STATES)
        .update(state=EscalationState.WITHDRAWN)
    )
    proposed = 0
    previous = None
    for step in steps:
        ids = list(_candidates(step, previous, today).values_list("pk", flat=True))
        if ids:
            reason = step.condition_text
            created = Escalation.objects.bulk_create(
                [Escalation(directive_id=pk, step=step, proposed_on=today, reason=reason) for pk in ids],
                ignore_conflicts=True,
            )
            proposed += len(created)
        previous = step
    return {"proposed": proposed, "withdrawn": withdrawn}


def propose_escalations_job(*, today: date | None = None) -> dict[str, int]:
    """The morning job (django-q2): on a working day, the proposals the office finds on its page."""
    today = today or timezone.localdate()
    if not is_working_day(today):
        return {"proposed": 0, "withdrawn": 0}
    with audit_context(channel=Channel.SYSTEM), transaction.atomic():
        return propose_escalations(today=today)


# --- issuing --------------------------------------------------------------------------------------


def _issue(escalation: Escalation, *, by) -> Escalation:
    """Make the step's document, tell the unit (the document's own message), set the reply date."""
    step, directive = escalation.step, escalation.directive
    today = timezone.localdate()
    reply_by = add_working_days(today, step.reply_days)
    matters = _(
        "“%(title)s”（办理时限 %(deadline)s）%(reason)s，现予%(step)s，请于 %(date)s 前回复办理情况。"
    ) % {
        "title": directive.title,
        "deadline": directive.deadline,
        "reason": escalation.reason,
        "step": step.name,
        "date": reply_by,
    }
    if step.document == StepDocument.REMINDER:
        escalation.reminder = reminder_send(
            unit=directive.lead_unit, directives=[directive], by=by, message=matters, reply_by=reply_by
        )
    else:
        escalation.notice = numbered_notice(
            directive=directive,
            by=by,
            reply_by=reply_by,
            matters=matters,
            series=step.series,
            title=step.name,
        )
    escalation.state = EscalationState.ISSUED
    escalation.reply_by = reply_by
    escalation.issued_at = timezone.now()
    escalation.save(update_fields=["state", "reply_by", "issued_at", "notice", "reminder", "decided_by"])
    number = escalation.notice.number if escalation.notice else ""
    record(
        directive,
        EventKind.ESCALATION,
        by=by,
        note=_("逐级督办：%(step)s%(number)s，%(date)s 前回复")
        % {"step": step.name, "number": number, "date": reply_by},
    )
    return escalation


def _ask_leader(escalation: Escalation, *, by) -> Escalation:
    leader = leader_user(escalation.directive)
    if leader is None:
        raise Invalid(
            _("“%(title)s”没有可登录的责任领导，%(step)s无法报批。")
            % {"title": escalation.directive.title, "step": escalation.step.name}
        )
    escalation.state = EscalationState.AWAITING_LEADER
    escalation.save(update_fields=["state", "decided_by"])
    record(
        escalation.directive,
        EventKind.ESCALATION,
        by=by,
        note=_("%(step)s报责任领导审批") % {"step": escalation.step.name},
    )
    notify_users(
        recipients=[leader],
        kind="approval",
        title=_("请审批%(step)s：%(title)s")
        % {"step": escalation.step.name, "title": escalation.directive.title},
        body=escalation.reason,
        url=reverse("directives:escalation_approvals"),
        sender=by,
    )
    return escalation


@transaction.atomic
def escalations_issue(*, escalation_ids: Iterable[int], by) -> dict[str, int]:
    """The office issues the chosen proposals: each step its office approves is issued now, each its
    leader approves goes to him. All or nothing: one refused proposal refuses the lot."""
    require(is_office_user, by)
    ids = sorted(set(escalation_ids))
    if not ids:
        raise Invalid(_("请至少选择一项。"))
    rows = list(
        Escalation.objects.select_for_update(of=("self",))
        .select_related("step", "directive__lead_unit", "directive__responsible_leader__user")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(rows) != len(ids):
        raise Invalid(_("所选的部分提议已不存在。"))
    done = {"issued": 0, "to_leader": 0}
    for escalation in rows:
        if not may_issue_escalation.test(by, escalation):
            raise TransitionRefused(
                _("“%(title)s”的%(step)s已不是待签发状态。")
                % {"title": escalation.directive.title, "step": escalation.step.name}
            )
        escalation.decided_by = by
        if escalation.step.approver == Approver.LEADER:
            _ask_leader(escalation, by=by)
            done["to_leader"] += 1
        else:
            _issue(escalation, by=by)
            done["issued"] += 1
    return done


def _locked(escalation: Escalation) -> Escalation:
    return (
        Escalation.objects.select_for_update(of=("self",))
        .select_related("step", "directive__lead_unit", "directive__responsible_leader", "decided_by")
        .get(pk=escalation.pk)
    )


@transaction.atomic
def escalation_approve(*, escalation: Escalation, by, note: str = "") -> Escalation:
    """The directive's leader approves a step waiting for him; it is issued at once, in the name of the
    office member who asked (the unit's reply goes to him)."""
    escalation = _locked(escalation)
    require(may_approve_escalation, by, escalation)
    escalation.approved_by = by
    escalation.approval_note = (note or "").strip()[:300]
    escalation.save(update_fields=["approved_by", "approval_note"])
    record(
        escalation.directive,
        EventKind.ESCALATION,
        by=by,
        note=_("责任领导同意%(step)s") % {"step": escalation.step.name},
    )
    return _issue(escalation, by=escalation.decided_by or by)


@transaction.atomic
def escalation_refuse(*, escalation: Escalation, by, note: str) -> Escalation:
    """The leader does not approve the step: it stops, and the office is told why."""
    escalation = _locked(escalation)
    require(may_approve_escalation, by, escalation)
    note = (note or "").strip()
    if not note:
        raise Invalid(fields={"note": [_("请填写不同意的理由。")]})
    escalation.state = EscalationState.REFUSED
    escalation.approved_by = by
    escalation.approval_note = note[:300]
    escalation.save(update_fields=["state", "approved_by", "approval_note"])
    directive = escalation.directive
    record(
        directive,
        EventKind.ESCALATION,
        by=by,
        note=_("责任领导不同意%(step)s：%(note)s") % {"step": escalation.step.name, "note": note},
    )
    notify_about(
        directive,
        kind="reply",
        title=_("责任领导不同意%(step)s：%(title)s") % {"step": escalation.step.name, "title": "%(title)s"},
        users=[escalation.decided_by],
        body=note,
        by=by,
    )
    return escalation


__all__ = [
    "escalation_approve",
    "escalation_refuse",
    "escalations_issue",
    "propose_escalations",
    "propose_escalations_job",
]
