"""Who may do what in the bond programme: named predicates that the pages' buttons and the services ask
alike ({% test_rule "bonds.may_edit_project" user project as may_edit %} / require(may_edit_project, …)).

Which projects a user may see at all is the data scope (models' `data_scope`); who may take which step
of a project's life is the transition table (workflow.py). The dated finance rules are regulations.py.
"""

from __future__ import annotations

from duban.accounts.roles import Role
from duban.accounts.scope import can_change, can_create
from duban.core.rules import rule

from .models import BondProject, ProjectState

S = ProjectState

# The library fields may be edited while the project is being prepared or has been sent back; finance
# reviewers correct them at any stage.
EDITABLE_STATES = frozenset({S.POOL, S.DRAFT, S.RETURNED})
# The office and leaders read the programme; the units and the finance bureau write it.
WRITERS = frozenset({Role.LIAISON, Role.FINANCE, Role.ADMIN})


def _writes(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in WRITERS)


@rule
def may_create_project(user, unit) -> bool:
    """Enter a project into the library for `unit` (None: for the user's own unit, the page's button)."""
    if not _writes(user):
        return False
    return can_create(user, BondProject, unit=unit if unit is not None else user.unit)


@rule
def may_attach_documents(user, project) -> bool:
    """Upload attachments (at any stage: approvals and issuance papers come late)."""
    return _writes(user) and can_change(user, project)


@rule
def may_edit_project(user, project) -> bool:
    """Edit the library fields, the cash flows, the debts and remove attachments."""
    return may_attach_documents(user, project) and (
        project.state in EDITABLE_STATES or user.role == Role.FINANCE
    )


@rule
def may_delete_debt(user, debt) -> bool:
    """Remove a planned debt; an issued bond is a record of the province's issuance and stays."""
    return not debt.is_issued and may_edit_project(user, debt.project)


@rule
def may_create_batch(user, _obj=None) -> bool:
    """Open an application batch: the finance bureau's."""
    return bool(user and user.is_authenticated and user.role in (Role.FINANCE, Role.ADMIN))
