from rest_framework import serializers

from ..models import Delivery, Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    sender_name = serializers.CharField(source="sender", read_only=True, default=None, allow_null=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "body",
            "url",
            "sender",
            "sender_name",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    title = serializers.CharField(source="notification.title", read_only=True)
    recipient = serializers.CharField(source="notification.recipient.username", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "notification",
            "title",
            "recipient",
            "channel",
            "channel_display",
            "unit",
            "state",
            "state_display",
            "attempts",
            "last_error",
            "next_attempt_at",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields
