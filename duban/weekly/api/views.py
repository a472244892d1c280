"""The weekly cycle's REST API: cycles, reports with their items, and the weekly meetings' decisions.

Reads go through the selectors (so a unit never sees another unit's report); writes go through the
services, which check the role and the scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from duban.core.api import ScopedObjectPermission
from duban.core.concurrency import EditConflict
from duban.organisation.models import Leader, Theme, Unit

from .. import selectors, services
from ..models import AgendaItem, ReportItem, WeeklyReport
from .serializers import (
    AgendaItemSerializer,
    CycleSerializer,
    DecisionSerializer,
    ReportItemSerializer,
    WeeklyReportSerializer,
)


def _refusal(error) -> Response:
    return Response({"detail": error.message}, status=error.status)


class CycleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CycleSerializer
    filterset_fields = ["iso_year", "state"]

    def get_queryset(self):
        return selectors.cycle_list(user=self.request.user)


class ReportFilter(filters.FilterSet):
    class Meta:
        model = WeeklyReport
        fields = ["cycle", "unit", "state", "timeliness"]


class WeeklyReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WeeklyReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return selectors.report_list(user=self.request.user).order_by("-cycle__starts_on", "unit__tree_path")

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        version = request.data.get("version")
        try:
            report = services.report_submit(
                report=report, by=request.user, expected_version=int(version) if version is not None else None
            )
        except services.WeeklyError as error:
            return _refusal(error)
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from error
        return Response(self.get_serializer(report).data)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        report = self.get_object()
        try:
            report = services.report_reopen(
                report=report, by=request.user, reason=request.data.get("reason", "")
            )
        except services.WeeklyError as error:
            return _refusal(error)
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        return Response(self.get_serializer(report).data)


class ReportItemViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportItemSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_fields = ["report", "source"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.item_list(user=self.request.user).order_by("report", "deadline", "id")

    def partial_update(self, request, *args, **kwargs):
        item: ReportItem = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            item = services.item_save(item=item, by=request.user, **serializer.validated_data)
        except services.WeeklyError as error:
            return _refusal(error)
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        except DjangoValidationError as error:
            raise ValidationError(getattr(error, "message_dict", {"detail": error.messages})) from error
        return Response(self.get_serializer(item).data)


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """The weekly meetings' agenda items and the decisions on them."""

    serializer_class = AgendaItemSerializer
    filterset_fields = ["weekly_meeting", "kind", "action"]

    def get_queryset(self):
        return selectors.agenda_list(user=self.request.user)

    @extend_schema(request=DecisionSerializer, responses=AgendaItemSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        item: AgendaItem = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "unit" in data:
            data["unit"] = get_object_or_404(Unit, pk=data["unit"])
        if "theme" in data:
            data["theme"] = get_object_or_404(Theme, pk=data["theme"])
        if "leader" in data:
            data["leader"] = get_object_or_404(Leader, pk=data["leader"])
        try:
            item = services.agenda_decide(item=item, by=request.user, **data)
        except services.WeeklyError as error:
            return _refusal(error)
        except EditConflict as conflict:
            return Response({"detail": conflict.message}, status=status.HTTP_409_CONFLICT)
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from error
        return Response(self.get_serializer(item).data)
