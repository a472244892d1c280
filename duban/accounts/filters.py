"""The user list's one FilterSet: the page and `/api/users/` filter alike."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from duban.core.filters import ActiveFilter, FilterSet, SearchFilter
from duban.organisation.models import Unit

from .models import User
from .roles import Role
from .scope import visible_to


class UserFilterSet(FilterSet):
    q = SearchFilter(fields=["username", "full_name"], label=_("用户名或姓名"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("角色"), empty_label=_("全部角色"))
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.none(), label=_("单位"), empty_label=_("全部单位")
    )
    is_active = ActiveFilter()

    class Meta:
        model = User
        fields = ["q", "role", "unit", "is_active"]

    def narrow_choices(self, user) -> None:
        self.filters["unit"].queryset = visible_to(user, Unit.objects.all())


class LockedWidget(BooleanWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("全部")), ("true", _("已锁定")), ("false", _("未锁定"))]


class AccountSecurityFilterSet(FilterSet):
    """The security administrator's list of accounts: no unit filter (the list reads no business data)."""

    q = SearchFilter(fields=["username", "full_name"], label=_("用户名或姓名"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("角色"), empty_label=_("全部角色"))
    is_active = ActiveFilter()
    locked = django_filters.BooleanFilter(field_name="is_locked", label=_("登录锁定"), widget=LockedWidget)

    class Meta:
        model = User
        fields = ["q", "role", "is_active", "locked"]
