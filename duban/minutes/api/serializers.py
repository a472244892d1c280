"""The minutes import API's input and output: the source, drafts, their changes, and confirmation.

Every change may name the `version` of the draft it was made from: a change from an older version is
refused (409, `edit_conflict`); without one, it applies to the draft as it is now.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from duban.core.api.fields import VersionField

from .. import services
from ..forms import RowForm
from ..models import MEETING_FIELDS, MinutesDraft


class SourceSerializer(serializers.Serializer):
    """Pasted text or an uploaded .txt / .docx (multipart `file`), and an optional meeting date."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False)
    meeting_date = serializers.DateField(required=False, allow_null=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate(self, attrs):
        source = services.read_source(text=attrs.get("text") or "", upload=attrs.get("file"))
        return {**attrs, "text": source.text, "source_name": source.name}


class DraftListSerializer(serializers.ModelSerializer):
    class Meta:
        model = MinutesDraft
        fields = [
            "id",
            "title",
            "source_name",
            "state",
            "progress",
            "row_count",
            "meeting_kind",
            "meeting_date",
            "meeting",
            "created_at",
        ]
        read_only_fields = fields


class DraftSerializer(DraftListSerializer):
    class Meta(DraftListSerializer.Meta):
        fields = [
            *DraftListSerializer.Meta.fields,
            "version",
            "chair",
            "attendees",
            "default_deadline",
            "assign",
            "rows",
            "extraction",
            "normalized_text",
            "created_by",
            "updated_at",
            "confirmed_at",
            "step",
            "error",
        ]
        read_only_fields = fields


def _version_field():
    return VersionField(source="expected_version")


class DraftUpdateSerializer(serializers.ModelSerializer):
    """PATCH: the meeting's details, and optionally every row (a known `key` keeps its source span)."""

    version = _version_field()
    rows = serializers.ListField(child=serializers.DictField(), required=False)

    class Meta:
        model = MinutesDraft
        fields = [*MEETING_FIELDS, "rows", "version"]
        extra_kwargs = {name: {"required": False} for name in MEETING_FIELDS}

    def validate_rows(self, rows: list[dict]) -> list[dict]:
        """Each row checked with the page's form, over what the draft already holds for its key."""
        known = {row["key"]: row for row in self.instance.rows}
        cleaned, errors = [], {}
        for number, given in enumerate(rows, start=1):
            given = dict(given)
            if str(given.get("key", "")).isdecimal():
                given["key"] = int(given["key"])
            base = RowForm.initial_from(known.get(given.get("key"), {}))
            form = RowForm(data={**{k: v for k, v in base.items() if v is not None}, **given})
            if form.is_valid():
                cleaned.append({"key": given.get("key"), **form.cleaned_data})
            else:
                errors[str(number)] = form.errors.get_json_data()
        if errors:
            raise serializers.ValidationError(errors)
        return cleaned


class ChangeSerializer(serializers.Serializer):
    """A change of a draft (merge or drop a row, confirm), naming the version it was made from."""

    version = _version_field()


class SplitSerializer(ChangeSerializer):
    _needed = _("请给出拆分位置（事项文字中的字符序号）。")
    position = serializers.IntegerField(
        error_messages={"required": _needed, "invalid": _needed, "null": _needed}
    )


class ConfirmSerializer(ChangeSerializer):
    assign = serializers.BooleanField(required=False, allow_null=True, default=None)
