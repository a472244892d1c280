"""The unit directory's one FilterSet: the page, its Excel export and `/api/units/` filter alike."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import visible_to
from duban.core.filters import ActiveFilter, FilterSet, SearchFilter

from .models import Unit, UnitKind


class UnitFilterSet(FilterSet):
    q = SearchFilter(fields=["name", "short_name", "code", "aliases"], label=_("名称或编码"))
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("类型"), empty_label=_("全部类型"))
    is_active = ActiveFilter()
    parent = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.none(), label=_("上级单位"), empty_label=_("全部上级单位")
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "is_active", "parent"]

    def narrow_choices(self, user) -> None:
        self.filters["parent"].queryset = visible_to(user, Unit.objects.all())
