"""Who may change the organisation: the unit directory and the leaders' portfolios.

The pages show their buttons with these predicates and the services refuse with them.
"""

from __future__ import annotations

from duban.accounts.scope import can_change, can_create
from duban.core.rules import rule

from .models import Leader, Unit


@rule
def may_manage_units(user, _unit=None) -> bool:
    """Add units and import the directory from Excel (the supervision office)."""
    return can_create(user, Unit)


@rule
def may_edit_unit(user, unit) -> bool:
    """Edit, move, activate or deactivate a unit."""
    return can_change(user, unit)


@rule
def may_manage_leaders(user, _leader=None) -> bool:
    """Add leaders and set their posts and portfolios."""
    return can_create(user, Leader)
