"""Creating and changing users: only the supervision office and administrators manage accounts."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from duban.audit.models import SecurityEventKind
from duban.audit.security import record
from duban.core.errors import Invalid
from duban.core.rules import require

from .models import User
from .roles import Role
from .rules import (
    may_edit_user,
    may_give_role,
    may_manage_account_security,
    may_manage_users,
    may_set_password,
)


def _check_role_and_unit(*, role: str, unit) -> None:
    if role in (Role.LIAISON, Role.FINANCE) and unit is None:
        message = _("单位联络员和财政审核员必须属于一个单位。")
        raise Invalid(message, fields={"unit": [message]})


def _set_password(user: User, password: str, *, field: str = "password", by=None) -> None:
    """Validate and set a password. Set by someone else (the office), it is to be changed at the
    user's next login; chosen by the user, its age counts from now. Either way the user's API tokens
    are revoked (a password reset must shut out whoever had the old one)."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Invalid("；".join(error.messages), fields={field: error.messages}) from error
    user.set_password(password)
    own = by is not None and by.pk == user.pk
    user.password_changed_at = timezone.now() if own else None
    if user.pk:
        revoke_api_tokens(user)
        if own:
            record(SecurityEventKind.PASSWORD_CHANGED, user=user)
        else:  # the log names whose password it was and who set it
            record(SecurityEventKind.PASSWORD_SET, user=user, detail=f"by {getattr(by, 'username', '—')}")


def password_expired(user: User) -> bool:
    """Must the user choose a new password before going on? (First login, or older than the limit.)"""
    if user.password_changed_at is None:
        return True
    days = settings.DUBAN_PASSWORD_MAX_AGE_DAYS
    return bool(days) and timezone.now() - user.password_changed_at > timezone.timedelta(days=days)


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """The user changes their own password (the office never learns it)."""
    if not user.check_password(old_password):
        message = _("原密码不正确。")
        raise Invalid(message, fields={"old_password": [message]})
    if old_password == new_password:
        message = _("新密码不能与原密码相同。")
        raise Invalid(message, fields={"new_password1": [message]})
    _set_password(user, new_password, field="new_password1", by=user)
    user.save(update_fields=["password", "password_changed_at"])


def revoke_api_tokens(user: User, *, by=None) -> int:
    """Revoke every API token of the user (logout, password change or reset, the security
    administrator's button)."""
    count, _by_model = AuthToken.objects.filter(user=user).delete()
    if count:
        detail = str(count) if by is None or by.pk == user.pk else f"{count} by {by.username}"
        record(SecurityEventKind.TOKEN_REVOKED, user=user, detail=detail)
    return count


def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new API token (hashed in the database, expiring after REST_KNOX's TOKEN_TTL); the key is
    returned once, to be shown once."""
    instance, key = AuthToken.objects.create(user=user)
    record(SecurityEventKind.TOKEN_CREATED, user=user, detail=instance.token_key)
    return instance, key


def second_factor_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_enrolment(user: User) -> TOTPDevice:
    """The authenticator being enrolled: a new secret until the user confirms it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("手机验证器"), confirmed=False)
    return device


def _check_code(device: TOTPDevice | None, code: str) -> bool:
    code = (code or "").strip().replace(" ", "")
    return device is not None and code.isdigit() and device.verify_token(code)


@transaction.atomic
def second_factor_confirm(*, user: User, code: str) -> TOTPDevice:
    """Confirm the enrolment with a code from the authenticator; it replaces any earlier one."""
    device = second_factor_enrolment(user)
    if not _check_code(device, code):
        record(SecurityEventKind.SECOND_FACTOR_FAILED, user=user)
        message = _("验证码不正确，请核对手机验证器上显示的 6 位数字（注意时间是否准确）。")
        raise Invalid(message, fields={"code": [message]})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(SecurityEventKind.SECOND_FACTOR_ENROLLED, user=user)
    return device


def second_factor_verify(*, user: User, code: str) -> TOTPDevice:
    """Check a login's code against the user's authenticator."""
    device = second_factor_device(user)
    if not _check_code(device, code):
        record(SecurityEventKind.SECOND_FACTOR_FAILED, user=user)
        message = _("验证码不正确或已过期。")
        raise Invalid(message, fields={"code": [message]})
    return device


def second_factor_reset(*, user: User, by) -> None:
    """Remove a user's authenticator (a lost phone); they enrol again at their next login. The security
    administrator's, not the office's: whoever sets passwords does not also remove the second factor,
    so that no one person can take over an account that has one."""
    require(may_manage_account_security, by, user, message=_("只有安全管理员可以解除他人的手机验证器。"))
    TOTPDevice.objects.filter(user=user).delete()
    record(SecurityEventKind.SECOND_FACTOR_RESET, user=user, detail=f"by {by.username}")
    revoke_api_tokens(user, by=by)


def account_unlock(*, user: User, by) -> int:
    """Lift the lockout of an account that failed its password too often (django-axes, every address);
    the security administrator's. The number of lockout records removed."""
    from axes.utils import reset

    require(may_manage_account_security, by, user, message=_("只有安全管理员可以解除登录锁定。"))
    count = reset(username=user.username)
    record(SecurityEventKind.UNLOCKED, user=user, detail=f"by {by.username}")
    return count


def account_tokens_revoke(*, user: User, by) -> int:
    """Revoke every API token of another user (a leaked key, a departure): the security administrator's."""
    require(may_manage_account_security, by, user, message=_("只有安全管理员可以吊销他人的接口令牌。"))
    return revoke_api_tokens(user, by=by)


def user_create(*, by, username: str, password: str, role: str, unit=None, **fields) -> User:
    require(may_manage_users, by)
    require(may_give_role, by, role, message=_("只有系统管理员可以创建系统管理员。"))
    _check_role_and_unit(role=role, unit=unit)
    user = User(username=username, role=role, unit=unit, **fields)
    _set_password(user, password, by=by)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, by, password: str = "", **fields) -> User:
    """Change an account; a non-empty `password` replaces its password."""
    require(may_manage_users, by)
    # Checked against the stored account: a page's form has already set its new values on `user`.
    current = User.objects.select_for_update().get(pk=user.pk)
    message = _("只有系统管理员可以修改系统管理员。")
    require(may_edit_user, by, current, message=message)
    require(may_give_role, by, fields.get("role", current.role), message=message)
    _check_role_and_unit(role=fields.get("role", current.role), unit=fields.get("unit", current.unit))
    for name, value in fields.items():
        setattr(current, name, value)
    if password:
        _set_password(current, password, by=by)
    current.full_clean()
    current.save()
    return current


def user_set_password(*, user: User, by, password: str) -> None:
    require(may_set_password, by, user)
    _set_password(user, password, by=by)
    user.save(update_fields=["password", "password_changed_at"])
