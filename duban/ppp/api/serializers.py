from rest_framework import serializers

from ..models import (
    ChecklistItem,
    Contract,
    ContractReview,
    Finding,
    Obligation,
    PPPProject,
    ProjectStep,
    RectificationTask,
    ReviewCampaign,
)
from ..services import PROJECT_FIELDS, describe_reason


class PPPStepSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ProjectStep
        fields = ["id", "code", "name", "order", "phase", "planned_on", "done_on", "document_title", "note"]
        read_only_fields = ["code", "order", "phase"]


class PPPProjectSerializer(serializers.ModelSerializer):
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = PPPProject
        fields = [
            "id",
            *PROJECT_FIELDS,
            "phase",
            "current_step",
            "status",
            "project_class",
            "computed_class",
            "override_class",
            "override_reason",
            "reasons",
            "version",
        ]
        read_only_fields = [
            "phase",
            "current_step",
            "status",
            "project_class",
            "computed_class",
            "override_class",
            "override_reason",
            "version",
        ]

    def get_reasons(self, project) -> list[str]:
        return [describe_reason(reason) for reason in project.computed_reasons]


class PPPProjectDetailSerializer(PPPProjectSerializer):
    steps = PPPStepSerializer(many=True, read_only=True)

    class Meta(PPPProjectSerializer.Meta):
        fields = [*PPPProjectSerializer.Meta.fields, "steps"]


class PPPProgressSerializer(serializers.Serializer):
    step = serializers.CharField()
    done_on = serializers.DateField(required=False, allow_null=True)
    planned_on = serializers.DateField(required=False, allow_null=True)
    document_title = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PPPOverrideSerializer(serializers.Serializer):
    project_class = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class PPPContractSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contract
        fields = [
            "id",
            "project",
            "kind",
            "number",
            "title",
            "signed_on",
            "parties",
            "term_years",
            "amount",
            "summary",
        ]


class PPPObligationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Obligation
        fields = ["id", "project", "side", "kind", "title", "due_on", "amount", "state", "done_on", "note"]
        read_only_fields = ["state", "done_on"]


class PPPObligationTransitionSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Obligation.State.choices)
    done_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PPPCampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewCampaign
        fields = ["id", "name", "year", "due_on", "state", "started_on", "closed_on"]
        read_only_fields = ["state", "started_on", "closed_on"]


class PPPChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "code", "section", "text", "result", "note"]


class PPPFindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["id", "item", "severity", "description", "resolved"]
        read_only_fields = ["resolved"]


class PPPReviewSerializer(serializers.ModelSerializer):
    items = PPPChecklistItemSerializer(many=True, read_only=True)
    findings = PPPFindingSerializer(many=True, read_only=True)

    class Meta:
        model = ContractReview
        fields = [
            "id",
            "campaign",
            "project",
            "state",
            "rating",
            "conclusion",
            "rated_on",
            "items",
            "findings",
        ]


class PPPCheckSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.DictField())


class PPPRatingSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=ContractReview.Rating.choices)
    conclusion = serializers.CharField(allow_blank=True, default="")


class PPPTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationTask
        fields = [
            "id",
            "review",
            "finding",
            "project",
            "owner_unit",
            "title",
            "requirement",
            "deadline",
            "state",
            "response",
            "submitted_on",
            "done_on",
            "directive",
            "version",
        ]
        read_only_fields = [
            "review",
            "project",
            "state",
            "response",
            "submitted_on",
            "done_on",
            "directive",
            "version",
        ]


class PPPTaskSubmitSerializer(serializers.Serializer):
    response = serializers.CharField()
    version = serializers.IntegerField(required=False)


class PPPReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class PPPRescheduleSerializer(serializers.Serializer):
    deadline = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)
