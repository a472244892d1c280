from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from duban.accounts.scope import can_create
from duban.core.api import ScopedObjectPermission
from duban.core.concurrency import EditConflict

from .. import selectors, services
from ..models import Unit
from .serializers import LeaderSerializer, ThemeSerializer, UnitSerializer


class UnitFilter(filters.FilterSet):
    q = filters.CharFilter(method="search")

    class Meta:
        model = Unit
        fields = ["kind", "is_active", "parent"]

    def search(self, queryset, name, value):
        return selectors.unit_list(user=self.request.user, filters={"q": value}).filter(
            pk__in=queryset.values("pk")
        )


class UnitViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The unit directory, narrowed to what the caller may see; the office creates and edits."""

    serializer_class = UnitSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_class = UnitFilter

    def get_queryset(self):
        return selectors.unit_list(user=self.request.user)

    def perform_create(self, serializer):
        if not can_create(self.request.user, Unit):
            raise PermissionDenied
        try:
            serializer.instance = services.unit_create(by=self.request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error

    def update(self, request, *args, **kwargs):
        unit = self.get_object()
        serializer = self.get_serializer(unit, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        # The caller sends the version it read; without one, the current version (last write wins
        # is never silent: the audit trail keeps both).
        expected = request.data.get("version", unit.version)
        try:
            unit = services.unit_update(
                unit=unit, by=request.user, expected_version=int(expected), **serializer.validated_data
            )
        except EditConflict as conflict:
            return Response({"detail": conflict.message}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(self.get_serializer(unit).data)


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ThemeSerializer

    def get_queryset(self):
        return selectors.theme_list(user=self.request.user)


class LeaderViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LeaderSerializer

    def get_queryset(self):
        return selectors.leader_list(user=self.request.user).prefetch_related("units", "themes")
