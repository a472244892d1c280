"""Who may do what with the incentives: named predicates asked by the pages (to show a button) and
by the services (to refuse the action).

- The office keeps the catalogue and opens campaigns (each is a directive, which only the office issues).
- The lead unit's liaisons (and the office) enter the criteria, the standing and the evidence, and
  file the application; the office records the decision.
"""

from __future__ import annotations

from duban.accounts import rules as accounts_rules
from duban.accounts.roles import Role
from duban.accounts.scope import can_change
from duban.core.rules import rule, step_rule

from .models import DECIDED
from .workflow import WORKFLOW

is_office_user = accounts_rules.is_office_user


@rule
def may_edit_catalogue(user, _obj=None) -> bool:
    return accounts_rules.is_office_user.test(user)


@rule
def may_open_campaign(user, _obj=None) -> bool:
    return accounts_rules.is_office_user.test(user)


@rule
def reads_summary(user, _obj=None) -> bool:
    """The yearly summary of incentives won: the office and the leaders."""
    return accounts_rules.is_office_user.test(user) or bool(
        user and user.is_authenticated and user.is_active and user.role == Role.LEADER
    )


@rule
def may_work_on_campaign(user, campaign) -> bool:
    """Criteria, standing and evidence: the office or the lead unit's liaisons, until it is decided."""
    if campaign is None or campaign.state in DECIDED:
        return False
    return accounts_rules.is_office_user.test(user) or (
        user.is_authenticated and user.role == Role.LIAISON and can_change(user, campaign)
    )


@rule
def may_edit_campaign(user, campaign) -> bool:
    """The campaign's lead unit, leader and dates: the office."""
    return accounts_rules.is_office_user.test(user)


may_submit = step_rule("incentives.may_submit", WORKFLOW, "submit")
may_withdraw = step_rule("incentives.may_withdraw", WORKFLOW, "withdraw")
may_commend = step_rule("incentives.may_commend", WORKFLOW, "commend")
may_not_commend = step_rule("incentives.may_not_commend", WORKFLOW, "not_commend")
