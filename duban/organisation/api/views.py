from rest_framework import mixins, viewsets
from rest_framework.response import Response

from duban.core.api import ScopedObjectPermission
from duban.core.concurrency import parse_version

from .. import selectors, services
from ..filters import UnitFilterSet
from .serializers import LeaderSerializer, ThemeSerializer, UnitSerializer


class UnitViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The unit directory, narrowed to what the caller may see; the office creates and edits."""

    serializer_class = UnitSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_class = UnitFilterSet

    def get_queryset(self):
        return selectors.unit_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.unit_create(by=self.request.user, **serializer.validated_data)

    def update(self, request, *args, **kwargs):
        unit = self.get_object()
        serializer = self.get_serializer(unit, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        # The caller sends the version it read; without one, the current version (last write wins
        # is never silent: the audit trail keeps both).
        expected = parse_version(request.data.get("version", unit.version))
        unit = services.unit_update(
            unit=unit, by=request.user, expected_version=expected, **serializer.validated_data
        )
        return Response(self.get_serializer(unit).data)


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ThemeSerializer

    def get_queryset(self):
        return selectors.theme_list(user=self.request.user)


class LeaderViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LeaderSerializer

    def get_queryset(self):
        return selectors.leader_list(user=self.request.user).prefetch_related("units", "themes")
