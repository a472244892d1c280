from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..definition import FIELD_TYPES
from ..models import SurveyResponse, SurveyRound

FIELD_KEYS = ("help", "unit", "min", "max", "pattern", "choices", "visible_if", "min_rows", "max_rows")


class RoundSerializer(serializers.ModelSerializer):
    form_code = serializers.CharField(source="form.code", read_only=True)

    class Meta:
        model = SurveyRound
        fields = ["id", "title", "form_code", "deadline", "state"]
        read_only_fields = fields


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(
        choices=["text", "integer", "decimal", "percentage", "date", "choice", "multichoice", "unit"]
    )
    required = serializers.BooleanField()


class FieldSerializer(ColumnSerializer):
    type = serializers.ChoiceField(choices=list(FIELD_TYPES))
    section = serializers.CharField()
    columns = ColumnSerializer(many=True, required=False)


def _field(field: dict, section: str | None = None) -> dict:
    out = {
        "key": field["key"],
        "label": field["label"],
        "type": field["type"],
        "required": bool(field.get("required")),
    }
    out.update({k: field[k] for k in FIELD_KEYS if k in field})
    if section is not None:
        out["section"] = section
    if field["type"] == "table":
        out["columns"] = [_field(c) for c in field["columns"]]
    return out


class RoundDetailSerializer(RoundSerializer):
    form_title = serializers.CharField(source="form.title", read_only=True)
    table_number = serializers.CharField(source="form.table_number", read_only=True)
    issuer = serializers.CharField(source="form.issuer", read_only=True)
    approver = serializers.CharField(source="form.approver", read_only=True)
    approval_number = serializers.CharField(source="form.approval_number", read_only=True)
    valid_until = serializers.DateField(source="form.valid_until", read_only=True)
    fields = serializers.SerializerMethodField(method_name="field_list")

    class Meta(RoundSerializer.Meta):
        fields = [
            *RoundSerializer.Meta.fields,
            "form_title",
            "table_number",
            "issuer",
            "approver",
            "approval_number",
            "valid_until",
            "rollup",
            "fields",
        ]
        read_only_fields = fields

    @extend_schema_field(FieldSerializer(many=True))
    def field_list(self, survey_round) -> list[dict]:
        definition = survey_round.form.definition
        return [_field(f, section["title"]) for section in definition["sections"] for f in section["fields"]]


class ResponseSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    answers = serializers.JSONField(read_only=True)

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "unit",
            "unit_name",
            "parent",
            "state",
            "answers",
            "version",
            "submitted_at",
            "return_reason",
        ]
        read_only_fields = fields


class ResponseInputSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.JSONField(allow_null=True))
    submit = serializers.BooleanField(default=False)


class SummarySerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    totals = serializers.DictField(
        child=serializers.DecimalField(max_digits=24, decimal_places=4, coerce_to_string=False)
    )
