"""Who may do what with surveys: the office keeps the catalogue and sends rounds; a unit's liaisons
fill their unit's response; the reviewer (the office, or the county for its townships) approves or
returns it. Steps of the life cycle ask its table (`workflow.py`)."""

from __future__ import annotations

from duban.accounts.scope import is_office
from duban.core.rules import rule, step_rule

from .workflow import RESPONSE_WORKFLOW


@rule
def may_manage_surveys(user, _obj=None) -> bool:
    """The office keeps the catalogue of forms, sends rounds, reminds and reads every result."""
    return is_office(user)


may_fill_response = step_rule("surveys.may_fill_response", RESPONSE_WORKFLOW, "fill")
may_submit_response = step_rule("surveys.may_submit_response", RESPONSE_WORKFLOW, "submit")
may_rollup_response = step_rule("surveys.may_rollup_response", RESPONSE_WORKFLOW, "rollup")
may_approve_response = step_rule("surveys.may_approve_response", RESPONSE_WORKFLOW, "approve")
may_return_response = step_rule("surveys.may_return_response", RESPONSE_WORKFLOW, "return")
