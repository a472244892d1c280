"""The user list's one FilterSet: the page and `/api/users/` filter alike.

Also the two filters the platform's lists share (`SearchFilter`, `ActiveFilter`); they belong in
`core/filters.py` and live here until core takes them.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from duban.core.filters import FilterSet
from duban.organisation.models import Unit

from .models import User
from .roles import Role
from .scope import visible_to


class SearchFilter(django_filters.CharFilter):
    """One box of text found in any of several fields (`q`)."""

    def __init__(self, *, fields: list[str], **kwargs):
        super().__init__(**kwargs)
        self.fields = fields

    def filter(self, queryset, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(reduce(or_, (Q(**{f"{name}__icontains": value}) for name in self.fields)))


class ActiveWidget(BooleanWidget):
    """全部状态 / 启用 / 停用; reads true/false (API clients) and 1/0 (links kept from older pages)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("全部状态")), ("true", _("启用")), ("false", _("停用"))]


class ActiveFilter(django_filters.BooleanFilter):
    """The status of things that are switched on and off (units, users)."""

    def __init__(self, **kwargs):
        super().__init__(**{"field_name": "is_active", "label": _("状态"), "widget": ActiveWidget, **kwargs})


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
