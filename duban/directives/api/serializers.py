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
    Light,
    Meeting,
    Milestone,
    MilestoneState,
    ProgressReport,
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
