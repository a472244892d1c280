"""Who may read the audit logs (三员分立, docs/security.md). The history of one object follows the
object's own page instead: see registry.py."""

from __future__ import annotations

from duban.accounts.roles import Role
from duban.accounts.scope import is_office
from duban.core.rules import rule


def _has_role(user, role: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == role)


@rule
def may_browse_audit_trail(user, _obj=None) -> bool:
    """The change audit trail: the office, and the auditor (who reads everything and changes nothing)."""
    return is_office(user) or _has_role(user, Role.AUDITOR)


@rule
def may_read_security_log(user, _obj=None) -> bool:
    """The security log: the auditor and the security administrator, never the system administrator
    or the office (their own actions are in it)."""
    return _has_role(user, Role.AUDITOR) or _has_role(user, Role.SECURITY)
