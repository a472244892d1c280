"""Who may browse the audit trail: the supervision office. (The history of one object follows the
object's own page instead: see registry.py.)"""

from __future__ import annotations

from duban.accounts.scope import is_office
from duban.core.rules import rule


@rule
def may_browse_audit_trail(user, _obj=None) -> bool:
    return is_office(user)
