from rest_framework import serializers

from ..models import Notification


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
