"""Who may read the cockpit's figures: the office (everything) and the city's leaders (their portfolio)."""

from __future__ import annotations

from duban.accounts.roles import Role
from duban.accounts.scope import is_office
from duban.core.rules import rule


@rule
def may_read_charts(user, _obj=None) -> bool:
    """The cockpit's charts are the leaders' and the office's: each reads them in his own scope."""
    return is_office(user) or bool(user.is_authenticated and user.is_active and user.role == Role.LEADER)
