"""The assessment API's serializers: schemes, a ranking with each row's breakdown, appeals, manual entries,
typical experiences, and the evidence files each of the last three lists."""

from __future__ import annotations

import re

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Appeal, Indicator, ManualEntry, Member, Period, Scheme, TypicalExperience, UnitGroup
from ..periods import MONTH


class SchemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scheme
        fields = ["id", "name", "visibility", "period_type"]


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MemberSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()

    class Meta:
        model = Member
        fields = ["unit", "separate"]


class GroupWeightSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(help_text="the indicator's id")
    weight = serializers.DecimalField(max_digits=7, decimal_places=2)


class UnitGroupSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True)
    weights = GroupWeightSerializer(
        many=True, help_text="the group's own weights; the others weigh their own"
    )

    class Meta:
        model = UnitGroup
        fields = ["id", "name", "sort_order", "members", "weights"]


class IndicatorSerializer(serializers.ModelSerializer):
    data_owner = UnitRefSerializer(allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "parent",
            "key",
            "name",
            "level",
            "sort_order",
            "scored",
            "weight",
            "formula",
            "params",
            "source",
            "absent_is_zero",
            "data_owner",
            "frequency",
            "valid_from",
            "valid_to",
            "version",
        ]


class SchemeDetailSerializer(serializers.ModelSerializer):
    """A scheme with its grading, its groups (members, own weights) and its indicator tree (read only)."""

    groups = UnitGroupSerializer(many=True)
    indicators = IndicatorSerializer(many=True, help_text="the tree, each node before its children")

    class Meta:
        model = Scheme
        fields = [
            "id",
            "name",
            "visibility",
            "period_type",
            "description",
            "grading",
            "grades",
            "appeal_days",
            "is_active",
            "version",
            "groups",
            "indicators",
        ]


class RankingQuerySerializer(serializers.Serializer):
    period = serializers.CharField(required=False, help_text="YYYY-MM; omitted: the latest published period")
    version = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000)

    def validate_period(self, value: str) -> str:
        if not re.match(MONTH, value):
            raise serializers.ValidationError("YYYY-MM")
        return value


class BreakdownLineSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    name = serializers.CharField()
    formula = serializers.CharField()
    weight = serializers.DecimalField(max_digits=12, decimal_places=4, coerce_to_string=False)
    value = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True, coerce_to_string=False)
    points = serializers.DecimalField(max_digits=12, decimal_places=4, coerce_to_string=False)
    records_url = serializers.CharField()


class RankingRowSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    group = serializers.CharField()
    score = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)
    rank = serializers.IntegerField(allow_null=True)
    rank_change = serializers.IntegerField(allow_null=True)
    grade = serializers.CharField()
    breakdown = BreakdownLineSerializer(many=True)


class RankingSerializer(serializers.Serializer):
    scheme = SchemeSerializer()
    period = serializers.CharField()
    state = serializers.CharField()
    version = serializers.IntegerField()
    rule_version = serializers.CharField()
    rows = RankingRowSerializer(many=True)


class EvidenceFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    # The download goes through the page view that applies the access rule, not the media URL.
    download = serializers.CharField()


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="multipart: a PDF, OFD, Word, WPS, Excel, PNG, JPEG or ZIP file")


class EvidenceListed(serializers.Serializer):
    """Lists the object's evidence files, each with its download (the page that asks who may read it)."""

    evidence_page = ""  # the view serving the file: "assessment:appeal_evidence", …

    evidence = serializers.SerializerMethodField()

    @extend_schema_field(EvidenceFileSerializer(many=True))
    def get_evidence(self, obj) -> list[dict]:
        if not obj.evidence:
            return []
        return [
            {
                "name": obj.evidence.name.rsplit("/", 1)[-1],
                "download": reverse(self.evidence_page, args=[obj.pk]),
            }
        ]


class AppealSerializer(EvidenceListed, serializers.ModelSerializer):
    evidence_page = "assessment:appeal_evidence"
    unit = serializers.PrimaryKeyRelatedField(read_only=True)
    indicator_key = serializers.CharField(source="indicator.key", read_only=True)
    version = serializers.IntegerField(source="snapshot.version", read_only=True)
    revision_version = serializers.IntegerField(source="revision.version", read_only=True, allow_null=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "period",
            "unit",
            "indicator",
            "indicator_key",
            "reason",
            "claimed_value",
            "state",
            "corrected_value",
            "decision",
            "version",
            "revision_version",
            "evidence",
            "created_at",
            "decided_at",
        ]
        read_only_fields = ["state", "corrected_value", "decision", "created_at", "decided_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.all()
        self.fields["indicator"].queryset = Indicator.objects.filter(scored=True)


class AppealDecisionSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    decision = serializers.CharField(max_length=2000)
    corrected_value = serializers.DecimalField(
        max_digits=12, decimal_places=4, required=False, allow_null=True
    )


class ManualEntrySerializer(EvidenceListed, serializers.ModelSerializer):
    evidence_page = "assessment:entry_evidence"
    indicator_key = serializers.CharField(source="indicator.key", read_only=True)

    class Meta:
        model = ManualEntry
        fields = [
            "id",
            "period",
            "indicator",
            "indicator_key",
            "unit",
            "value",
            "note",
            "evidence",
            "reviewer",
            "state",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = ["reviewer", "state", "decided_by", "decided_at", "decision_note", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.all()
        self.fields["indicator"].queryset = Indicator.objects.filter(scored=True)


class DecisionNoteSerializer(serializers.Serializer):
    """The office's note on approving or rejecting an entry, or on taking a step with an experience."""

    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ExperienceSerializer(EvidenceListed, serializers.ModelSerializer):
    evidence_page = "assessment:experience_evidence"
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = TypicalExperience
        fields = [
            "id",
            "unit",
            "unit_name",
            "title",
            "summary",
            "evidence",
            "state",
            "published_on",
            "decision",
            "submitted_by",
            "submitted_at",
            "decided_by",
        ]
        read_only_fields = [name for name in fields if name not in ("title", "summary")]
