from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from duban.core.api.permissions import allowed_by
from duban.core.api.views import SelectorViewSetMixin

from .. import selectors, services
from ..filters import DeliveryFilterSet, NotificationFilterSet
from ..rules import may_manage_channels
from .serializers import DeliverySerializer, NotificationSerializer

_count = inline_serializer("NotificationCount", {"count": serializers.IntegerField()})


class NotificationViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications, unread first. Nobody, the office included, reads another's."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    select = selectors.notification_list

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(notification=self.get_object(), user=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=_count)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"count": services.notification_mark_all_read(user=request.user)})

    @extend_schema(responses=_count)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"count": selectors.unread_count(user=request.user)})


class DeliveryViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Deliveries through e-mail, DingTalk, WeCom and SMS, with their state and the reason of a
    failure: the office's only. `POST …/{id}/resend/` tries a failed one again."""

    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilterSet
    select = selectors.delivery_list
    permission_classes = [allowed_by(may_manage_channels)]

    @extend_schema(request=None, responses=_count)
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        return Response({"count": services.delivery_resend(deliveries=[self.get_object()], by=request.user)})
