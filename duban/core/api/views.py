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

from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.views import defaults
from rest_framework import mixins
from rest_framework.response import Response

from ..errors import describe
from .fields import VersionInputSerializer


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
        version = payload(VersionInputSerializer, request)["version"]
        expected = instance.version if version is None else version
        instance = self.update_with(instance, expected_version=expected, **serializer.validated_data)
        return Response(self.get_serializer(instance).data)

    def update_with(self, instance, **changes):
        raise NotImplementedError


def not_found(request, exception=None):
    """`handler404`: an address under /api/ that names no endpoint (or an id that is not a number)
    answers with the API's error body; pages keep the 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse(describe(Http404()).as_api(), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """`handler500`: an API client gets the API's error body (nothing about the fault); pages keep the
    500 page. The fault itself is logged by Django."""
    if request.path.startswith("/api/"):
        body = {
            "detail": gettext("服务器内部错误，请稍后重试；如仍有问题，请联系管理员。"),
            "code": "server_error",
            "fields": {},
        }
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
