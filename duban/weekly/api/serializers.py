from rest_framework import serializers

from ..models import AgendaItem, ReportingCycle, ReportItem, WeeklyReport


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
    class Meta:
        model = ReportItem
        fields = [
            "id",
            "report",
            "source",
            "object_id",
            "title",
            "theme",
            "light",
            "deadline",
            "done_this_week",
            "plan_next_week",
            "problems",
            "percent",
            "coordination_request",
            "coordination_leader",
            "coordination_unit",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "report",
            "source",
            "object_id",
            "title",
            "theme",
            "light",
            "deadline",
            "updated_at",
        ]


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
            "reminder_count",
            "version",
        ]
        read_only_fields = fields


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
    decision = serializers.CharField()
    action = serializers.CharField(default="note")
    expected_version = serializers.IntegerField(required=False)
    deadline = serializers.DateField(required=False)
    unit = serializers.IntegerField(required=False)
    title = serializers.CharField(required=False, allow_blank=True)
    theme = serializers.IntegerField(required=False)
    leader = serializers.IntegerField(required=False)
