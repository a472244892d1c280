"""Who may do what in the PPP programme: named predicates the pages ask to show a button and the services
ask to refuse the action (`require(rule, user, obj)`), so the two cannot disagree.

- The office and the finance reviewers (`is_manager`) change PPP data; the leaders read the
  programme-wide pages too (`sees_programme`).
- The implementing agency's liaisons report progress on their projects (`may_report_progress`).
- Only the office overrides a project's class (`may_override_class`).
- The steps of the life cycles (a rectification task, an obligation, a review, a campaign) are asked
  of their tables in `workflow.py`: the predicates below answer "may this user take this step now".
"""

from __future__ import annotations

from duban.accounts import rules as accounts_rules
from duban.accounts.roles import Role
from duban.accounts.scope import can_change, can_see, is_office
from duban.core.rules import rule, step_rule

from . import workflow
from .models import ContractReview, ProjectStatus, ReviewCampaign

# --- who ----------------------------------------------------------------------------------------


@rule
def is_manager(user, _obj=None) -> bool:
    """The finance reviewers and the office: they register and edit projects, contracts, payments,
    obligations, parameters and reviews."""
    return workflow.is_manager(user)


@rule
def sees_programme(user, _obj=None) -> bool:
    """The programme-wide pages (affordability, parameters, campaigns): the managers and the leaders."""
    return workflow.is_manager(user) or bool(
        user and user.is_authenticated and user.is_active and user.role == Role.LEADER
    )


# The office's own steps (linking a task to a directive) ask the platform's rule.
is_office_user = accounts_rules.is_office_user


@rule
def may_report_progress(user, project) -> bool:
    """Step dates and documents, obligations fulfilled: the implementing agency's liaisons and the managers."""
    return can_change(user, project)


@rule
def may_override_class(user, _project=None) -> bool:
    """Only the office sets a project's class by hand (分类施策)."""
    return is_office(user)


# --- what, now ----------------------------------------------------------------------------------


@rule
def may_withdraw_project(user, project) -> bool:
    return workflow.is_manager(user) and project.status == ProjectStatus.ACTIVE


may_start_campaign = step_rule("ppp.may_start_campaign", workflow.CAMPAIGNS, "start")
may_close_campaign = step_rule("ppp.may_close_campaign", workflow.CAMPAIGNS, "close")


def is_under_review(review: ContractReview) -> bool:
    """Checklist, findings and tasks are recorded while the campaign runs and the review is not closed."""
    return (
        review.campaign.state == ReviewCampaign.State.UNDER_WAY
        and review.state != ContractReview.State.CLOSED
    )


@rule
def may_review(user, review) -> bool:
    """Record the checklist, findings and rectification tasks of a review."""
    return workflow.is_manager(user) and is_under_review(review)


may_rate_review = step_rule("ppp.may_rate_review", workflow.REVIEWS, "rate")
may_close_review = step_rule("ppp.may_close_review", workflow.REVIEWS, "close")
may_submit_task = step_rule("ppp.may_submit_task", workflow.TASKS, "submit")
# Accept or send back a reported task.
may_decide_task = step_rule("ppp.may_decide_task", workflow.TASKS, "accept")
# Change the deadline or withdraw the task (the same people, in the same states).
may_reschedule_task = step_rule("ppp.may_reschedule_task", workflow.TASKS, "reschedule")
# Make the task a directive (督办事项) assigned to its owner unit.
may_link_task = step_rule("ppp.may_link_task", workflow.TASKS, "link")


@rule
def may_open_directive(user, task) -> bool:
    """The directive carrying the task is in the user's reach (its title links to its page)."""
    return bool(task.directive_id) and can_see(user, task.directive)
