"""The PPP API's serializers; the fields a user enters are the models' `*_INPUT_FIELDS`, as on the forms."""

from rest_framework import serializers

from duban.core.api.fields import VersionField

from ..models import (
    CAMPAIGN_INPUT_FIELDS,
    CONTRACT_INPUT_FIELDS,
    FINDING_INPUT_FIELDS,
    OBLIGATION_INPUT_FIELDS,
    PROJECT_INPUT_FIELDS,
    TASK_INPUT_FIELDS,
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
from ..services import describe_reason


class PPPStepSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ProjectStep
        fields = ["id", "code", "name", "order", "phase", "planned_on", "done_on", "document_title", "note"]
        read_only_fields = ["code", "order", "phase"]


# What follows from the steps, the rules and the life cycles: read, never written through the API.
PROJECT_DERIVED = [
    "phase",
    "current_step",
    "status",
    "project_class",
    "computed_class",
    "override_class",
    "override_reason",
    "version",
]
TASK_DERIVED = ["review", "project", "state", "response", "submitted_on", "done_on", "directive", "version"]


class PPPProjectSerializer(serializers.ModelSerializer):
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = PPPProject
        fields = ["id", *PROJECT_INPUT_FIELDS, *PROJECT_DERIVED, "reasons"]
        read_only_fields = PROJECT_DERIVED

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
        fields = ["id", "project", *CONTRACT_INPUT_FIELDS]


class PPPObligationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Obligation
        fields = ["id", "project", *OBLIGATION_INPUT_FIELDS, "state", "done_on"]
        read_only_fields = ["state", "done_on"]


class PPPObligationTransitionSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Obligation.State.choices)
    done_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PPPCampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewCampaign
        fields = ["id", *CAMPAIGN_INPUT_FIELDS, "state", "started_on", "closed_on"]
        read_only_fields = ["state", "started_on", "closed_on"]


class PPPChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "code", "section", "text", "result", "note"]


class PPPFindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["id", *FINDING_INPUT_FIELDS, "resolved"]
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


class PPPCheckItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    result = serializers.ChoiceField(
        choices=ChecklistItem.Result.choices, default=ChecklistItem.Result.UNCHECKED
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class PPPCheckSerializer(serializers.Serializer):
    items = PPPCheckItemSerializer(many=True)

    def results(self) -> dict[int, tuple[str, str]]:
        """{item id: (result, note)}, as `services.review_check` takes them."""
        return {item["id"]: (item["result"], item["note"]) for item in self.validated_data["items"]}


class PPPRatingSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=ContractReview.Rating.choices)
    conclusion = serializers.CharField(allow_blank=True, default="")
    confirmed = serializers.BooleanField(
        default=False, help_text="A rating above what the review's findings allow, confirmed."
    )


class PPPTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationTask
        fields = ["id", *TASK_INPUT_FIELDS, *TASK_DERIVED]
        read_only_fields = TASK_DERIVED


def _version():
    """The version the client read (a bad one is a 400); none sent: the stored one."""
    return VersionField()


class PPPTaskSubmitSerializer(serializers.Serializer):
    response = serializers.CharField()
    version = _version()


class PPPReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class PPPRescheduleSerializer(serializers.Serializer):
    deadline = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = _version()


# The shapes of what the project's fiscal actions answer (the OpenAPI schema says them).


class PPPYearSpendingSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    equity = serializers.FloatField()
    subsidy = serializers.FloatField()
    risk = serializers.FloatField()
    supporting = serializers.FloatField()
    total = serializers.FloatField()


class PPPAffordabilitySerializer(serializers.Serializer):
    """A project's yearly fiscal spending, and the subsidy terms it still lacks."""

    missing_terms = serializers.ListField(child=serializers.CharField())
    years = PPPYearSpendingSerializer(many=True)


class PPPSpendingByTypeSerializer(serializers.Serializer):
    equity = serializers.FloatField()
    subsidy = serializers.FloatField()
    risk = serializers.FloatField()
    supporting = serializers.FloatField()


class PPPAffordabilityYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    budget_expenditure = serializers.FloatField()
    existing_obligations = serializers.FloatField()
    obligations = serializers.FloatField()
    by_type = PPPSpendingByTypeSerializer()
    ratio = serializers.FloatField()
    within_cap = serializers.BooleanField()
    warning = serializers.BooleanField()
    gov_pay_allowed = serializers.BooleanField()


class PPPRefusalSerializer(serializers.Serializer):
    code = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
    message = serializers.CharField()


class PPPWhatIfSerializer(serializers.Serializer):
    """Whether the programme stays within the lines with this project, why not, and the years after."""

    allowed = serializers.BooleanField()
    refusals = PPPRefusalSerializer(many=True)
    after = PPPAffordabilityYearSerializer(many=True)


class PPPCampaignStartSerializer(serializers.Serializer):
    """How many reviews the campaign opened."""

    reviews = serializers.IntegerField()
