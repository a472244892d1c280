"""Creating and changing users: only the supervision office and administrators manage accounts."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.errors import Invalid
from duban.core.rules import require

from .models import User
from .roles import Role
from .rules import may_edit_user, may_give_role, may_manage_users, may_set_password


def _check_role_and_unit(*, role: str, unit) -> None:
    if role in (Role.LIAISON, Role.FINANCE) and unit is None:
        message = _("单位联络员和财政审核员必须属于一个单位。")
        raise Invalid(message, fields={"unit": [message]})


def _set_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Invalid("；".join(error.messages), fields={"password": error.messages}) from error
    user.set_password(password)


def user_create(*, by, username: str, password: str, role: str, unit=None, **fields) -> User:
    require(may_manage_users, by)
    require(may_give_role, by, role, message=_("只有系统管理员可以创建系统管理员。"))
    _check_role_and_unit(role=role, unit=unit)
    user = User(username=username, role=role, unit=unit, **fields)
    _set_password(user, password)
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
        _set_password(current, password)
    current.full_clean()
    current.save()
    return current


def user_set_password(*, user: User, by, password: str) -> None:
    require(may_set_password, by, user)
    _set_password(user, password)
    user.save(update_fields=["password"])
