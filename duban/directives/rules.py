"""Who may do what with a directive: named predicates asked by the directive page (to show a button)
and by the services (to refuse the action). The "who" parts refuse with 403; where an action also
depends on the directive's state, the service says why the state refuses it (409)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duban.accounts.roles import Role
from duban.accounts.scope import can_see, is_office
from duban.core.rules import rule, step_rule

from .models import ACTIVE_STATES, EscalationState, Light, State
from .workflow import OFFICE, UNIT, WORKFLOW, WORKING

# The states in which a directive's roadmap (milestones) may still change.
PLANNABLE_STATES = frozenset({State.DRAFT, *ACTIVE_STATES})
FINISHED_STATES = frozenset({State.CLOSED, State.CANCELLED})


# --- who ----------------------------------------------------------------------------------------


@rule
def acts_for_lead_unit(user, directive) -> bool:
    """A liaison of the lead unit (or of a unit above it): the one who reports and asks."""
    return UNIT in WORKFLOW.actors_of(user, directive)


@rule
def works_on(user, directive) -> bool:
    """The office or the lead unit: who plans the roadmap and splits the work."""
    return bool(WORKFLOW.actors_of(user, directive) & {OFFICE, UNIT})


@rule
def may_instruct(user, directive) -> bool:
    """A leader's instruction (批示), or the office's note, on a directive in their reach."""
    return (user.role == Role.LEADER or is_office(user)) and can_see(user, directive)


@rule
def may_reply(user, directive) -> bool:
    """Any liaison who sees the directive (lead or co-operating unit) may answer an instruction."""
    return user.role == Role.LIAISON and can_see(user, directive)


@rule
def may_answer(user, sent) -> bool:
    """A liaison of the unit a reminder or a supervision notice is addressed to (or of a unit above
    it) replies to it; nobody else does."""
    unit = sent.unit
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.LIAISON
        and user.unit_id
        and unit.tree_path.startswith(user.unit.tree_path)
    )


# --- what, now ----------------------------------------------------------------------------------


def is_plannable(directive) -> bool:
    return directive.state in PLANNABLE_STATES


def is_reportable(directive) -> bool:
    return directive.state in WORKING


def is_splittable(directive) -> bool:
    return directive.state in WORKING


def is_editable(directive) -> bool:
    return directive.state not in FINISHED_STATES


def is_noticeable(directive) -> bool:
    return directive.light == Light.RED and directive.state in ACTIVE_STATES


def is_remindable(directive) -> bool:
    return directive.state in ACTIVE_STATES


def notice_withheld(directive) -> str:
    """Why no 督办通知单 is offered on this directive ("" when one is). The notice is the formal
    escalation, numbered and counted against the unit, for work already red; a yellow or green
    directive still being worked on gets the lighter step, a reminder (催办)."""
    if is_noticeable(directive):
        return ""
    rule = _("督办通知单是对亮红灯事项（逾期或节点严重滞后）的正式督办，编号印发并计入单位考核。")
    if directive.state not in ACTIVE_STATES:
        return rule + _("本事项不在办理中，无需督办。")
    if directive.light == Light.YELLOW:
        return rule + _("本事项亮黄灯（临近时限），可先催办。")
    return rule + _("本事项尚未亮红灯，如需提醒可催办。")


@rule
def may_edit_directive(user, directive) -> bool:
    return is_office(user) and is_editable(directive)


@rule
def may_plan(user, directive) -> bool:
    """Add milestones and move them along."""
    return works_on.test(user, directive) and is_plannable(directive)


@rule
def may_split(user, directive) -> bool:
    return works_on.test(user, directive) and is_splittable(directive)


@rule
def may_report_progress(user, directive) -> bool:
    return acts_for_lead_unit.test(user, directive) and is_reportable(directive)


@rule
def may_remind(user, directive) -> bool:
    return is_office(user) and is_remindable(directive)


@rule
def may_issue_notice(user, directive) -> bool:
    return is_office(user) and is_noticeable(directive)


@rule
def may_issue_escalation(user, escalation) -> bool:
    """The office issues a proposed step of the escalation ladder (or sends it to the leader)."""
    return is_office(user) and escalation.state == EscalationState.PROPOSED


@rule
def approves_escalations(user, _obj=None) -> bool:
    """A leader: his page of the ladder's steps waiting for his approval."""
    return bool(user.is_authenticated and user.role == Role.LEADER)


@rule
def may_approve_escalation(user, escalation) -> bool:
    """The directive's responsible leader, and only he, approves a step waiting for him."""
    leader = escalation.directive.responsible_leader
    return bool(
        user.is_authenticated
        and user.role == Role.LEADER
        and leader is not None
        and leader.user_id == user.pk
        and escalation.state == EscalationState.AWAITING_LEADER
    )


# --- steps of the life cycle other capabilities take on a directive they carry ---------------------


may_request_completion = step_rule("directives.may_request_completion", WORKFLOW, "request_completion")
may_return = step_rule("directives.may_return", WORKFLOW, "return")
may_cancel = step_rule("directives.may_cancel", WORKFLOW, "cancel")
# Agree to the lead unit's request to close (the request is pending).
may_close = step_rule("directives.may_close", WORKFLOW, "close")
