"""Who may change the working calendar: the supervision office."""

from __future__ import annotations

from duban.accounts.scope import is_office
from duban.core.rules import rule


@rule
def may_edit_calendar(user, _override=None) -> bool:
    """Add or delete an override of the working calendar."""
    return is_office(user)
