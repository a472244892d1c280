from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import MinutesDraft


class SourceSerializer(serializers.Serializer):
    """Pasted text or an uploaded .txt / .docx (multipart `file`), and an optional meeting date."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False)
    meeting_date = serializers.DateField(required=False, allow_null=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate(self, attrs):
        if attrs.get("file") is not None and (attrs.get("text") or "").strip():
            raise serializers.ValidationError(_("请粘贴文字或上传文件，二者选一。"))
        if attrs.get("file") is None and not (attrs.get("text") or "").strip():
            raise serializers.ValidationError(_("请粘贴会议纪要或通稿的文字，或上传文件。"))
        return attrs


class DraftSerializer(serializers.ModelSerializer):
    class Meta:
        model = MinutesDraft
        fields = [
            "id",
            "title",
            "source_name",
            "state",
            "meeting_kind",
            "meeting_date",
            "chair",
            "attendees",
            "default_deadline",
            "assign",
            "rows",
            "meeting",
            "extraction",
            "normalized_text",
            "created_by",
            "created_at",
            "updated_at",
            "confirmed_at",
        ]
        read_only_fields = fields


class DraftListSerializer(serializers.ModelSerializer):
    class Meta:
        model = MinutesDraft
        fields = [
            "id",
            "title",
            "source_name",
            "state",
            "meeting_kind",
            "meeting_date",
            "meeting",
            "created_at",
        ]
        read_only_fields = fields


class DraftUpdateSerializer(serializers.ModelSerializer):
    """PATCH: the meeting's details, and optionally every row (a known `key` keeps its source span)."""

    rows = serializers.ListField(child=serializers.DictField(), required=False)

    class Meta:
        model = MinutesDraft
        fields = ["title", "meeting_kind", "meeting_date", "chair", "default_deadline", "assign", "rows"]
        extra_kwargs = {name: {"required": False} for name in fields}


class ConfirmSerializer(serializers.Serializer):
    assign = serializers.BooleanField(required=False, allow_null=True, default=None)
