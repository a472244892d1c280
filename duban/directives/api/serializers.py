from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from duban.core.api.fields import VersionField
from duban.core.dates import parse_date

from .. import selectors
from ..models import (
    DIRECTIVE_INPUT_FIELDS,
    Comment,
    Directive,
    Escalation,
    Light,
    Meeting,
    Milestone,
    MilestoneState,
    ProgressReport,
    Reminder,
    ReplyState,
    SupervisionNotice,
    SupervisionReply,
    TimelineEvent,
)


class LooseDateField(serializers.DateField):
    """A date as users write it (2026-03-31, 2026/3/31, 2026年3月31日)."""

    def to_internal_value(self, value):
        day = parse_date(value)
        if day is None:
            self.fail("invalid", format="YYYY-MM-DD")
        return day


class NewMilestoneSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = LooseDateField()


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "kind", "title", "held_on", "chair", "leaders", "units", "minutes"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "order", "title", "due_on", "state", "done_on"]
        read_only_fields = ["order", "done_on"]


# The lights a reason can call for (a directive not being worked on has no reason).
REASON_LIGHTS = [(light.value, light.label) for light in (Light.RED, Light.YELLOW, Light.GREEN)]


class LightReasonSerializer(serializers.Serializer):
    signal = serializers.ChoiceField(
        choices=[("deadline", _("办理时限")), ("milestone", _("节点")), ("stale", _("未报送进展"))]
    )
    light = serializers.ChoiceField(choices=REASON_LIGHTS)
    text = serializers.CharField()
    days = serializers.IntegerField(help_text=_("工作日数"))


class DirectiveSerializer(serializers.ModelSerializer):
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    theme_name = serializers.CharField(source="theme.name", read_only=True)
    leader_name = serializers.CharField(
        source="responsible_leader.name", read_only=True, default=None, allow_null=True
    )
    milestones = MilestoneSerializer(many=True, read_only=True)
    light_reasons = serializers.SerializerMethodField()
    new_milestones = NewMilestoneSerializer(many=True, write_only=True, required=False)
    assign = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Directive
        read_only_fields = [
            "parent",
            "state",
            "light",
            "stale",
            "percent",
            "extension_until",
            "extension_reason",
            "version",
        ]
        fields = [
            "id",
            *DIRECTIVE_INPUT_FIELDS,
            *read_only_fields,
            "light_reasons",
            "theme_name",
            "leader_name",
            "lead_unit_name",
            "milestones",
            "new_milestones",
            "assign",
        ]

    @extend_schema_field(LightReasonSerializer(many=True))
    def get_light_reasons(self, directive) -> list:
        """Why the light is what it is (none for a directive not being worked on); a list's page
        has them set in one go (`with_light_reasons`), a single directive reads its own."""
        reasons = getattr(directive, "light_reasons", None)
        if reasons is None:
            reasons = selectors.with_light_reasons([directive])[0].light_reasons
        return reasons

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "new_milestones" in attrs:
            attrs["milestones"] = [(m["title"], m["due_on"]) for m in attrs.pop("new_milestones")]
        return attrs


class DirectiveListSerializer(DirectiveSerializer):
    """The board's rows: no milestones or co-units, so a page is a constant number of queries."""

    class Meta(DirectiveSerializer.Meta):
        fields = [
            f
            for f in DirectiveSerializer.Meta.fields
            if f not in ("milestones", "co_units", "new_milestones")
        ]


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProgressSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(
        source="author.__str__", read_only=True, default=None, allow_null=True
    )
    evidence = serializers.SerializerMethodField()
    milestone_states = serializers.DictField(
        child=serializers.ChoiceField(choices=MilestoneState.choices),
        write_only=True,
        required=False,
        help_text=_("{节点编号: 状态}"),
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "text",
            "percent",
            "milestone_states",
            "milestone_changes",
            "author",
            "author_name",
            "created_at",
            "evidence",
        ]
        read_only_fields = ["milestone_changes", "author", "created_at"]

    def validate_milestone_states(self, states: dict) -> dict[int, str]:
        try:
            return {int(milestone): state for milestone, state in states.items()}
        except ValueError:
            raise serializers.ValidationError(_("应为 {节点编号: 状态}。")) from None

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, report):
        return [{"id": e.pk, "name": e.name} for e in report.evidence.all()]


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(
        source="author.__str__", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Comment
        fields = ["id", "kind", "reply_to", "text", "author", "author_name", "created_at"]
        read_only_fields = ["kind", "author", "created_at"]


class TimelineEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.__str__", read_only=True, default=None, allow_null=True)

    class Meta:
        model = TimelineEvent
        fields = ["id", "kind", "from_state", "to_state", "note", "actor", "actor_name", "created_at"]


class LightCountsSerializer(serializers.Serializer):
    """How many directives show each light, and the total."""

    red = serializers.IntegerField()
    yellow = serializers.IntegerField()
    green = serializers.IntegerField()
    grey = serializers.IntegerField()
    total = serializers.IntegerField()


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    until = serializers.DateField(required=False, allow_null=True, default=None)
    confirmed = serializers.BooleanField(required=False, default=False)
    version = VersionField()


class ReplySerializer(serializers.ModelSerializer):
    """A unit's reply to a reminder or a notice; `file` is sent as multipart, `file_name` read back."""

    file = serializers.FileField(write_only=True, required=False, allow_null=True)
    replied_by_name = serializers.CharField(
        source="replied_by.__str__", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = SupervisionReply
        fields = ["id", "text", "file", "file_name", "unit", "replied_by", "replied_by_name", "replied_at"]
        read_only_fields = ["file_name", "unit", "replied_by", "replied_at"]


class _AwaitsReplySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    reply_state = serializers.ChoiceField(choices=ReplyState.choices, read_only=True)
    replies = ReplySerializer(many=True, read_only=True)


class NoticeSerializer(_AwaitsReplySerializer):
    number = serializers.CharField(read_only=True)
    directive_title = serializers.CharField(source="directive.title", read_only=True)

    class Meta:
        model = SupervisionNotice
        fields = [
            "id",
            "number",
            "year",
            "sequence",
            "directive",
            "directive_title",
            "unit",
            "unit_name",
            "matters",
            "issued_on",
            "reply_by",
            "reply_state",
            "replies",
        ]


class ReminderSerializer(_AwaitsReplySerializer):
    class Meta:
        model = Reminder
        fields = [
            "id",
            "unit",
            "unit_name",
            "directives",
            "message",
            "sent_at",
            "reply_by",
            "reply_state",
            "replies",
        ]


class EscalationSerializer(serializers.ModelSerializer):
    """A step of the escalation ladder on a directive: its state, why it was proposed, its document
    (a numbered notice or a reminder), the date of the unit's reply and the reply's state."""

    step_name = serializers.CharField(source="step.name", read_only=True)
    step_order = serializers.IntegerField(source="step.order", read_only=True)
    directive_title = serializers.CharField(source="directive.title", read_only=True)
    unit = serializers.IntegerField(source="directive.lead_unit_id", read_only=True)
    unit_name = serializers.CharField(source="directive.lead_unit.name", read_only=True)
    notice_number = serializers.CharField(
        source="notice.number", read_only=True, default=None, allow_null=True
    )
    reply_state = serializers.ChoiceField(
        choices=[("", ""), *ReplyState.choices], read_only=True, help_text=_("未印发时为空。")
    )

    class Meta:
        model = Escalation
        fields = [
            "id",
            "directive",
            "directive_title",
            "unit",
            "unit_name",
            "step",
            "step_name",
            "step_order",
            "state",
            "reason",
            "proposed_on",
            "approved_by",
            "approval_note",
            "issued_at",
            "reply_by",
            "notice",
            "notice_number",
            "reminder",
            "reply_state",
        ]
        read_only_fields = fields


class EscalationIssueSerializer(serializers.Serializer):
    # Ids of a 64-bit key: a larger number is refused here, not by the database.
    escalations = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=500
    )


class EscalationIssuedSerializer(serializers.Serializer):
    issued = serializers.IntegerField()
    to_leader = serializers.IntegerField()


class EscalationDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
