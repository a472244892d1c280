"""Creating and changing users: only the supervision office and administrators manage accounts."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .models import User
from .roles import Role
from .scope import is_office


def _check_role_and_unit(*, role: str, unit) -> None:
    if role in (Role.LIAISON, Role.FINANCE) and unit is None:
        raise ValidationError({"unit": _("单位联络员和财政审核员必须属于一个单位。")})


def user_create(*, by, username: str, password: str, role: str, unit=None, **fields) -> User:
    if not is_office(by):
        raise PermissionDenied
    if role == Role.ADMIN and not (by.is_superuser or by.role == Role.ADMIN):
        raise PermissionDenied(_("只有系统管理员可以创建系统管理员。"))
    _check_role_and_unit(role=role, unit=unit)
    user = User(username=username, role=role, unit=unit, **fields)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def user_update(*, user: User, by, **fields) -> User:
    if not is_office(by):
        raise PermissionDenied
    new_role = fields.get("role", user.role)
    if Role.ADMIN in (new_role, user.role) and not (by.is_superuser or by.role == Role.ADMIN):
        raise PermissionDenied(_("只有系统管理员可以修改系统管理员。"))
    _check_role_and_unit(role=new_role, unit=fields.get("unit", user.unit))
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    user.save()
    return user


def user_set_password(*, user: User, by, password: str) -> None:
    if not (is_office(by) or by.pk == user.pk):
        raise PermissionDenied
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
