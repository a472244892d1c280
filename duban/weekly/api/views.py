"""The weekly cycle's REST API: cycles, reports with their items, and the weekly meetings' decisions.

The same selectors, FilterSets and services as the pages. Views catch nothing: a refusal is answered
by the API's one exception handler."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from duban.core.api import ScopedObjectPermission
from duban.core.api.fields import VersionInputSerializer
from duban.core.api.views import SelectorViewSetMixin, payload

from .. import selectors, services
from ..filters import CycleFilterSet, DecisionFilterSet, ItemFilterSet, ReportFilterSet, SnapshotItemFilterSet
from .serializers import (
    AgendaItemSerializer,
    CycleSerializer,
    DecisionSerializer,
    ReopenSerializer,
    ReportItemSerializer,
    SendBackSerializer,
    SnapshotItemSerializer,
    WeeklyReportSerializer,
)


class CycleViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Query parameters (CycleFilterSet): iso_year, state."""

    serializer_class = CycleSerializer
    filterset_class = CycleFilterSet
    select = selectors.cycle_list


class WeeklyReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Query parameters (ReportFilterSet): cycle, unit, state, timeliness, q (the unit's name)."""

    serializer_class = WeeklyReportSerializer
    filterset_class = ReportFilterSet

    def get_queryset(self):
        return selectors.report_rows(user=self.request.user)

    @extend_schema(request=VersionInputSerializer, responses=WeeklyReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        version = payload(VersionInputSerializer, request)["version"]
        report = services.report_submit(report=report, by=request.user, expected_version=version)
        return Response(self.get_serializer(report).data)

    @extend_schema(request=VersionInputSerializer, responses=WeeklyReportSerializer)
    @action(detail=True, methods=["post"], url_path="submit-for-approval")
    def submit_for_approval(self, request, pk=None):
        """单位领导审核: the liaison sends the filled report to the unit's head."""
        report = self.get_object()
        version = payload(VersionInputSerializer, request)["version"]
        report = services.report_submit_for_approval(report=report, by=request.user, expected_version=version)
        return Response(self.get_serializer(report).data)

    @extend_schema(request=VersionInputSerializer, responses=WeeklyReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The unit's head approves the report: it reaches the office."""
        report = self.get_object()
        version = payload(VersionInputSerializer, request)["version"]
        report = services.report_approve(report=report, by=request.user, expected_version=version)
        return Response(self.get_serializer(report).data)

    @extend_schema(request=SendBackSerializer, responses=WeeklyReportSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        """The unit's head sends the report back to the liaison, with his reason."""
        report = self.get_object()
        data = payload(SendBackSerializer, request)
        report = services.report_send_back(
            report=report, by=request.user, reason=data["reason"], expected_version=data["version"]
        )
        return Response(self.get_serializer(report).data)

    @extend_schema(request=ReopenSerializer, responses=WeeklyReportSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        report = self.get_object()
        reason = payload(ReopenSerializer, request)["reason"]
        report = services.report_reopen(report=report, by=request.user, reason=reason)
        return Response(self.get_serializer(report).data)


class ReportItemViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Query parameters (ItemFilterSet): report, source, cycle, addressed_to (me). A unit's liaisons PATCH what they fill in."""

    serializer_class = ReportItemSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_class = ItemFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.item_list(user=self.request.user).order_by("report", "deadline", "id")

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        item = services.item_save(item=serializer.instance, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(item).data)


class DecisionViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The weekly meetings' agenda items and the decisions on them. Query parameters
    (DecisionFilterSet): weekly_meeting, kind, action."""

    serializer_class = AgendaItemSerializer
    filterset_class = DecisionFilterSet
    select = selectors.agenda_list

    @extend_schema(request=DecisionSerializer, responses=AgendaItemSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        item = self.get_object()
        decision = payload(DecisionSerializer, request, context={"request": request})
        item = services.agenda_decide(item=item, by=request.user, **decision)
        return Response(self.get_serializer(item).data)


class SnapshotItemViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The red and yellow items as each cycle closed (its snapshot of the lights). Query parameters
    (SnapshotItemFilterSet): q, cycle, light, unit, theme, leader."""

    serializer_class = SnapshotItemSerializer
    filterset_class = SnapshotItemFilterSet
    select = selectors.snapshot_item_list
