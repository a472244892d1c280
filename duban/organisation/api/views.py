from rest_framework import mixins, viewsets

from duban.core.api import ScopedObjectPermission
from duban.core.api.views import SelectorViewSetMixin, VersionedUpdateMixin

from .. import selectors, services
from ..filters import UnitFilterSet
from .serializers import LeaderSerializer, ThemeSerializer, UnitSerializer


class UnitViewSet(
    SelectorViewSetMixin, mixins.CreateModelMixin, VersionedUpdateMixin, viewsets.ReadOnlyModelViewSet
):
    """The unit directory, narrowed to what the caller may see; the office creates and edits."""

    serializer_class = UnitSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_class = UnitFilterSet
    select = selectors.unit_list

    def perform_create(self, serializer):
        serializer.instance = services.unit_create(by=self.request.user, **serializer.validated_data)

    def update_with(self, unit, **changes):
        return services.unit_update(unit=unit, by=self.request.user, **changes)


class ThemeViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ThemeSerializer
    select = selectors.theme_list


class LeaderViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LeaderSerializer

    def get_queryset(self):
        return selectors.leader_list(user=self.request.user).prefetch_related("units", "themes")
