"""One FilterSet per list, shared by the page, the API and the Excel export, so they cannot drift.

An app's `filters.py` declares it; its selector applies it to the scoped queryset; the page renders
its form; the viewset names it as `filterset_class`:

    # bonds/filters.py
    class ProjectFilterSet(FilterSet):
        q = django_filters.CharFilter(method="search", label=_("关键词"))
        class Meta:
            model = BondProject
            fields = ["theme", "state", "county"]

    # bonds/selectors.py
    def project_list(*, user, filters=None):
        return filtered(ProjectFilterSet, visible_to(user, BondProject.objects.all()), filters, user=user)

    # bonds/views.py:     filterset = ProjectFilterSet(request.GET, user=request.user) → {{ filterset.form }}
    # bonds/api/views.py: filterset_class = ProjectFilterSet

On a page an invalid filter is left out (the list still shows); through the API it is a 400.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from .forms import bootstrap


class FilterSet(django_filters.FilterSet):
    """A FilterSet that knows the user (to narrow its choices to what they may see) and styles its form."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.none()
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)
        self.narrow_choices(self.user)

    def narrow_choices(self, user) -> None:
        """Limit the choices of model filters to what the user may see (override where it matters)."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            bootstrap(form)
        return self._form

    def active_filters(self) -> dict:
        """The valid filters that are set (for links that keep them, and for exports)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", [])}


def filtered(filterset_class: type[FilterSet], queryset, filters=None, *, user=None):
    """The queryset narrowed by the filters (a dict or QueryDict); invalid filters are left out."""
    if not filters:
        return queryset
    return filterset_class(filters, queryset, user=user).qs


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


class ConditionFilter(django_filters.BooleanFilter):
    """Yes: the rows meeting a condition (a Q, or a function of no argument giving one); no: the others."""

    def __init__(self, *, condition, **kwargs):
        super().__init__(**kwargs)
        self.condition = condition

    def filter(self, queryset, value):
        if value is None:
            return queryset
        condition = self.condition() if callable(self.condition) else self.condition
        return queryset.filter(condition) if value else queryset.exclude(condition)


class ActiveWidget(BooleanWidget):
    """全部状态 / 启用 / 停用; reads true/false (API clients) and 1/0 (links kept from older pages)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("全部状态")), ("true", _("启用")), ("false", _("停用"))]


class ActiveFilter(django_filters.BooleanFilter):
    """The status of things that are switched on and off (units, users)."""

    def __init__(self, **kwargs):
        super().__init__(**{"field_name": "is_active", "label": _("状态"), "widget": ActiveWidget, **kwargs})
