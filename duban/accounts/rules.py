"""Who may manage accounts (三员分立, docs/security.md): the office and the system administrators
create and edit accounts and set passwords, and only system administrators touch the three
administrators' accounts (system, security, audit); the security administrator keeps accounts safe
(lockouts, authenticators, API tokens) and reads the security log.

The user pages show their buttons with these predicates and the services refuse with them.
"""

from __future__ import annotations

from duban.core.rules import rule

from .roles import PRIVILEGED_ROLES, Role
from .scope import is_office


def _is_admin(user) -> bool:
    return is_office(user) and (user.is_superuser or user.role == Role.ADMIN)


@rule
def is_office_user(user, _obj=None) -> bool:
    """The supervision office (督查室) and the administrators: they see and run everything."""
    return is_office(user)


@rule
def may_manage_users(user, _obj=None) -> bool:
    """Open the account pages and create accounts."""
    return is_office(user)


@rule
def may_give_role(user, role) -> bool:
    """Create an account with this role, or give it to an account (the administrators' roles by system
    administrators)."""
    return is_office(user) and (role not in PRIVILEGED_ROLES or _is_admin(user))


@rule
def may_edit_user(user, account) -> bool:
    """Change this account (an administrator's only by a system administrator)."""
    return may_give_role.test(user, account.role)


@rule
def may_set_password(user, account) -> bool:
    """Set this account's password: the office, or its owner."""
    return is_office(user) or (user.is_authenticated and user.pk == account.pk)


@rule
def may_see_contact_details(user, account) -> bool:
    """See an account's phone number unmasked: the office (who manages accounts), or its owner."""
    return is_office(user) or (user.is_authenticated and user.pk == account.pk)


@rule
def may_manage_account_security(user, account=None) -> bool:
    """Unlock a locked-out account, remove its authenticator, revoke its API tokens: the security
    administrator, for every account but their own (their own is on their account page)."""
    active = bool(user and user.is_authenticated and user.is_active)
    return active and user.role == Role.SECURITY and (account is None or account.pk != user.pk)
