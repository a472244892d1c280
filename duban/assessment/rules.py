"""Who may do what in the assessment: named predicates the pages ask to show a button and the services
ask to refuse the action, so the two cannot disagree.

- Public schemes (明争) are read by every signed-in user with business data; internal ones (暗赛) by the
  office and the leaders only (`sees_internal`). Periods not yet published are the office's only.
- The office computes, publishes, approves manual entries, decides appeals and publishes experiences.
- A unit's liaison appeals a line of its own published ranking within the 公示 period, and submits
  its unit's typical experiences.
"""

from __future__ import annotations

from django.utils import timezone

from duban.accounts.roles import Role
from duban.accounts.scope import NO_BUSINESS_DATA, can_change, is_office
from duban.core.rules import rule

from .models import AppealState, EntryState, ExperienceState, PeriodState


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role not in NO_BUSINESS_DATA)


@rule
def sees_internal(user, _obj=None) -> bool:
    """Internal schemes (暗赛): the office and the leaders."""
    return is_office(user) or (_active(user) and user.role == Role.LEADER)


@rule
def may_read_scheme(user, scheme) -> bool:
    return _active(user) and (scheme.is_public or sees_internal(user))


@rule
def is_assessment_office(user, _obj=None) -> bool:
    """Schemes, computations, publication, approvals and decisions: the office."""
    return is_office(user)


@rule
def may_compute_period(user, period) -> bool:
    return is_office(user) and period.state == PeriodState.DRAFT


@rule
def may_publish_period(user, period) -> bool:
    return is_office(user) and period.state == PeriodState.DRAFT and period.current_id is not None


@rule
def may_finalise_period(user, period) -> bool:
    return is_office(user) and period.state == PeriodState.PUBLISHED


def in_appeal_window(period) -> bool:
    return (
        period.state == PeriodState.PUBLISHED
        and period.appeal_until is not None
        and timezone.localdate() <= period.appeal_until
    )


@rule
def may_appeal(user, period) -> bool:
    """A unit's liaison, about its own published ranking, within the 公示 period."""
    return _active(user) and user.role == Role.LIAISON and bool(user.unit_id) and in_appeal_window(period)


@rule
def may_decide_appeal(user, appeal) -> bool:
    return is_office(user) and appeal.state == AppealState.SUBMITTED


@rule
def may_decide_entry(user, entry) -> bool:
    return is_office(user) and entry.state == EntryState.SUBMITTED


@rule
def is_unit_liaison(user, _obj=None) -> bool:
    """A unit's liaison: files its appeals and submits its typical experiences."""
    return _active(user) and user.role == Role.LIAISON and bool(user.unit_id)


may_submit_experience = is_unit_liaison


@rule
def may_decide_experience(user, experience) -> bool:
    return is_office(user) and experience.state in (ExperienceState.SUBMITTED, ExperienceState.SELECTED)


@rule
def may_edit_experience(user, experience) -> bool:
    """Changing an experience (its evidence): its unit's liaison, until the office takes it up."""
    return (
        is_unit_liaison(user)
        and can_change(user, experience)
        and experience.state == ExperienceState.SUBMITTED
    )


@rule
def may_attach_appeal_evidence(user, appeal) -> bool:
    """Evidence for an appeal: its unit's liaison, until the office decides it."""
    return is_unit_liaison(user) and can_change(user, appeal) and appeal.state == AppealState.SUBMITTED


@rule
def may_attach_entry_evidence(user, entry) -> bool:
    """Evidence for a manual entry: its reviewer (or the office), while it waits for approval in a period
    not yet published (`services.entry_create` takes none after)."""
    return (
        may_enter_score(user)
        and (is_office(user) or entry.reviewer_id == user.pk)
        and entry.state == EntryState.SUBMITTED
        and entry.period.state == PeriodState.DRAFT
    )


@rule
def may_read_showcase(user, _obj=None) -> bool:
    """The showcase of published experiences: every signed-in user with business data."""
    return _active(user)


@rule
def may_enter_score(user, _obj=None) -> bool:
    """Manual entries: the office, and the leaders for their evaluation (评分人)."""
    return is_office(user) or (_active(user) and user.role == Role.LEADER)
