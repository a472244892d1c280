"""The API's filter backend: a list's FilterSet narrows the list, and only the list."""

from django_filters.rest_framework import DjangoFilterBackend


class ListFilterBackend(DjangoFilterBackend):
    """DRF filters every action of a viewset; a detail URL or an action then answered a stray list
    parameter with a 400 (or narrowed the object away). One object is found by its id."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", "list") != "list":
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        # An action that reads the list's FilterSet itself (`filtered_actions`, e.g. the directives'
        # light counts) documents its parameters too.
        if getattr(view, "action", "list") not in getattr(view, "filtered_actions", ("list",)):
            return []
        return super().get_schema_operation_parameters(view)
