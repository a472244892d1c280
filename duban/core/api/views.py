"""The shapes every viewset shares, so that an app's viewset says only what is its own.

- `SelectorViewSetMixin`: the rows are the list's selector's for the caller (`select = selectors.x_list`),
  as NetBox's viewsets name their `queryset`; the list's FilterSet (`filterset_class`) narrows the list.
- `VersionedUpdateMixin`: PUT and PATCH go through the app's update service with the version the
  caller read (`update_with(obj, expected_version=…, **changes)`), like the pages' edit forms.
- `payload(SerializerClass, request)`: what an action was sent, validated (a 400 naming the fields
  when it is not valid).
"""

from __future__ import annotations

from collections.abc import Callable

from rest_framework import mixins
from rest_framework.response import Response

from ..concurrency import parse_version


def payload(serializer_class, request, **kwargs):
    """The request's data read through the serializer (`validated_data`); not valid: a 400 naming the
    fields at fault."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class SelectorViewSetMixin:
    """A viewset over a list's selector: `select = selectors.unit_list` gives the caller's rows (the
    selector applies the data scope), so the API reads what the pages read."""

    select: Callable

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema generator asks without a user: it needs the model, not the rows.
            serializer = getattr(type(self), "serializer_class", None) or self.get_serializer_class()
            return serializer.Meta.model._default_manager.none()
        # Read from the class: a plain function stored on the class would be bound to the viewset.
        return type(self).select(user=self.request.user)


class VersionedUpdateMixin(mixins.UpdateModelMixin):
    """PUT and PATCH through the app's update service: `update_with(obj, expected_version=…, **changes)`
    returns the object as saved. The caller sends the version it read; without one, the current
    version (the last write wins, never silently: the audit trail keeps both)."""

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        expected = parse_version(request.data.get("version", instance.version))
        instance = self.update_with(instance, expected_version=expected, **serializer.validated_data)
        return Response(self.get_serializer(instance).data)

    def update_with(self, instance, **changes):
        raise NotImplementedError
