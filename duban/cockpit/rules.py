"""Who may open the cockpit (领导驾驶舱): the office (everything) and the city's leaders (their
portfolio). A unit's liaison, its head, the finance reviewers and the administrators of the security
lane are refused: their home page is their cockpit. The cockpit's charts are read by the same rule,
each in the reader's own scope."""

from __future__ import annotations

from duban.accounts.roles import Role
from duban.accounts.scope import is_office
from duban.core.rules import rule


@rule
def may_open_cockpit(user, _obj=None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_office(user) or user.role == Role.LEADER
