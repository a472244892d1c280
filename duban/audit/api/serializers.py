from rest_framework import serializers

from ..models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default=None, allow_null=True)
    model = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "channel",
            "action",
            "model",
            "object_pk",
            "object_repr",
            "changes",
        ]
        read_only_fields = fields

    def get_model(self, entry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"
