"""The unit directory's one FilterSet: the page, its Excel export and `/api/units/` filter alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from duban.accounts.scope import visible_to
from duban.core.filters import FilterSet

from .models import Unit, UnitKind


class ActiveWidget(BooleanWidget):
    """全部 / 启用 / 停用; reads true/false (API clients) and 1/0 (links kept from older pages)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("全部状态")), ("true", _("启用")), ("false", _("停用"))]


def active_filter() -> django_filters.BooleanFilter:
    """The status filter of a list of things that are switched on and off (units, users)."""
    return django_filters.BooleanFilter(field_name="is_active", label=_("状态"), widget=ActiveWidget)


class UnitFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称或编码"))
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("类型"), empty_label=_("全部类型"))
    is_active = active_filter()
    parent = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.none(), label=_("上级单位"), empty_label=_("全部上级单位")
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "is_active", "parent"]

    def narrow_choices(self, user) -> None:
        self.filters["parent"].queryset = visible_to(user, Unit.objects.all())

    def search(self, queryset, name, value):
        """Any of the unit's names or its code contains the text."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(code__icontains=value)
            | Q(aliases__icontains=value)
        )
