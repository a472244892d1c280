"""Who may do what in the weekly cycle: named predicates asked by the pages (to show a button) and by
the services (to refuse the action). Steps of a life cycle ask its table (`workflow.py`)."""

from __future__ import annotations

from duban.accounts.roles import Role
from duban.accounts.scope import is_office
from duban.core.rules import rule, step_rule

from .workflow import CYCLE_WORKFLOW, DECISION_WORKFLOW, REPORT_WORKFLOW

# --- who ----------------------------------------------------------------------------------------


@rule
def may_manage_cycles(user, _cycle=None) -> bool:
    """The office runs the cycle: its page and exports, the bulletin, the weekly meeting."""
    return is_office(user)


@rule
def reports_for_unit(user, _report=None) -> bool:
    """A liaison files the weekly report of their unit (and follows its cycles)."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.LIAISON)


@rule
def may_read_bulletin(user, _cycle=None) -> bool:
    """The bulletin is the city's weekly paper: the office compiles it, every leader reads all of it."""
    return is_office(user) or bool(user.is_authenticated and user.is_active and user.role == Role.LEADER)


# --- what, now: a step of a life cycle the table offers this user on this object now (its button) --


# The unit's liaisons fill and submit while the report is not submitted and may still be filed.
may_fill_report = step_rule("weekly.may_fill_report", REPORT_WORKFLOW, "fill")
may_submit_report = step_rule("weekly.may_submit_report", REPORT_WORKFLOW, "submit")
# 单位领导审核: the liaison sends the report to the unit's head; the head approves it or sends it back.
may_submit_for_approval = step_rule("weekly.may_submit_for_approval", REPORT_WORKFLOW, "submit_for_approval")
may_approve_report = step_rule("weekly.may_approve_report", REPORT_WORKFLOW, "approve")
may_send_back_report = step_rule("weekly.may_send_back_report", REPORT_WORKFLOW, "send_back")
# The office returns a submitted report for changes, or lets a unit file after the close.
may_reopen_report = step_rule("weekly.may_reopen_report", REPORT_WORKFLOW, "reopen")
# The office reminds the units that have not filed, and closes an open cycle by hand.
may_remind = step_rule("weekly.may_remind", CYCLE_WORKFLOW, "remind")
may_close_cycle = step_rule("weekly.may_close_cycle", CYCLE_WORKFLOW, "close")
# The office records the meeting's decision on an agenda item not yet carried out.
may_decide = step_rule("weekly.may_decide", DECISION_WORKFLOW, "decide")
