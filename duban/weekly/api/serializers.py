from rest_framework import serializers

from duban.core.api.fields import VersionField, VersionInputSerializer
from duban.organisation import selectors as organisation
from duban.organisation.models import Leader, Theme, Unit

from ..models import (
    ITEM_INPUT_FIELDS,
    AgendaItem,
    DecisionAction,
    ReportingCycle,
    ReportItem,
    SnapshotItem,
    WeeklyReport,
)


class SnapshotItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SnapshotItem
        fields = [
            "id",
            "cycle",
            "source",
            "object_id",
            "light",
            "title",
            "unit",
            "unit_name",
            "theme",
            "theme_name",
            "leader",
            "leader_name",
            "deadline",
            "percent",
        ]


class CycleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingCycle
        fields = [
            "id",
            "iso_year",
            "iso_week",
            "issue_number",
            "starts_on",
            "ends_on",
            "due_at",
            "remind_at",
            "close_at",
            "state",
            "reminded_at",
            "closed_at",
        ]
        read_only_fields = fields


class ReportItemSerializer(serializers.ModelSerializer):
    """An item of a report: what the provider said of it (read only) and what the unit fills in."""

    class Meta:
        model = ReportItem
        fields = [
            *["id", "report", "source", "object_id", "title", "theme", "light", "deadline"],
            *ITEM_INPUT_FIELDS,
            "updated_at",
        ]
        read_only_fields = [name for name in fields if name not in ITEM_INPUT_FIELDS]


class WeeklyReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = WeeklyReport
        fields = [
            "id",
            "cycle",
            "unit",
            "unit_name",
            "state",
            "timeliness",
            "first_submitted_at",
            "submitted_at",
            "reopened_at",
            "reopen_reason",
            "head_requested_at",
            "head_note",
            "reminder_count",
            "version",
        ]
        read_only_fields = fields


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SendBackSerializer(VersionInputSerializer):
    """The unit's head sends the report back: his reason, and the version he read."""

    reason = serializers.CharField(max_length=200)


class AgendaItemSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="weekly_meeting.meeting_id", read_only=True)
    cycle = serializers.IntegerField(source="weekly_meeting.cycle_id", read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "weekly_meeting",
            "meeting",
            "cycle",
            "order",
            "kind",
            "source",
            "object_id",
            "title",
            "unit",
            "detail",
            "decision",
            "action",
            "resulting_directive_id",
            "decided_at",
            "version",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    """The meeting's decision on an agenda item; the unit, theme and leader are among those the
    caller may see (an unknown or hidden one is a 400 naming the field)."""

    decision = serializers.CharField()
    action = serializers.ChoiceField(choices=DecisionAction.choices, default=DecisionAction.NOTE)
    expected_version = VersionField()
    deadline = serializers.DateField(required=False)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), required=False)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    theme = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.none(), required=False)
    leader = serializers.PrimaryKeyRelatedField(queryset=Leader.objects.none(), required=False)
    # Closing a directive its unit has not asked to close: the caller confirms it knows.
    confirm_close = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # none when the API schema is drawn
        if request is None:
            return
        user = request.user
        self.fields["unit"].queryset = organisation.unit_list(user=user)
        self.fields["theme"].queryset = organisation.theme_list(user=user)
        self.fields["leader"].queryset = organisation.leader_list(user=user)
