"""Who may browse the audit trail: the supervision office. (The history of one object follows the
object's own page instead: see registry.py.)"""

from __future__ import annotations

from duban.accounts.scope import is_office
from duban.core.rules import rule


@rule
def may_browse_audit_trail(user, _obj=None) -> bool:
    """The change audit trail: the office, and the auditor (who reads everything and changes nothing)."""
    return is_office(user) or _is_auditor(user)


def _is_auditor(user) -> bool:
    from duban.accounts.roles import Role

    return bool(user and user.is_authenticated and user.is_active and user.role == Role.AUDITOR)


@rule
def may_read_security_log(user, _obj=None) -> bool:
    """The security log: the auditor only (三员分立: the administrators' own actions are in it)."""
    return _is_auditor(user)
