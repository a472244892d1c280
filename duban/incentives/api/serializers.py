"""The incentive API's shapes: a measure of the catalogue and a campaign with its criteria (each live
criterion with the value read now, the moment and the page of its figures)."""

from __future__ import annotations

from rest_framework import serializers

from .. import selectors
from ..models import Campaign, CampaignState, Criterion, Level, LiveSource, Measure, Outcome


class SourceSerializer(serializers.Serializer):
    document = serializers.CharField(help_text="The list's number and title")
    url = serializers.CharField(help_text="The page the measure was read from")
    verified = serializers.BooleanField(
        help_text="The measure's text was checked against the published notice"
    )
    note = serializers.CharField()


class MeasureSerializer(serializers.ModelSerializer):
    list = serializers.CharField(source="measure_list.code", read_only=True)
    level = serializers.ListField(child=serializers.ChoiceField(choices=Level.choices), source="levels")
    source = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = ["id", "list", "number", "area", "title", "level", "ministry", "reward", "source"]

    def get_source(self, measure) -> SourceSerializer:
        return {
            "document": f"{measure.measure_list.code} {measure.measure_list.title}",
            "url": measure.source_url,
            "verified": measure.verified,
            "note": measure.verification_note,
        }


class LiveSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=12, decimal_places=6, allow_null=True)
    read_at = serializers.DateTimeField()
    figures_url = serializers.CharField()
    detail = serializers.CharField()


class CriterionSerializer(serializers.ModelSerializer):
    live_source = serializers.ChoiceField(choices=LiveSource.choices)
    live = serializers.SerializerMethodField()

    class Meta:
        model = Criterion
        fields = ["id", "order", "text", "source", "source_url", "target", "target_ratio", "standing",
                  "live_source", "live", "recorded_value", "recorded_at"]  # fmt: skip

    def get_live(self, criterion) -> LiveSerializer(allow_null=True):
        if not criterion.live_source:
            return None
        cache = self.context.setdefault("live_cache", {})
        if criterion.live_source not in cache:
            cache[criterion.live_source] = selectors.live_value(
                criterion.live_source, user=self.context["request"].user
            )
        live = cache[criterion.live_source]
        return None if live is None else LiveSerializer(live).data


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _named(obj):
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


class OutcomeSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Outcome.choices)
    announced_on = serializers.DateField(allow_null=True)
    reward = serializers.CharField()
    reward_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    province_reward = serializers.CharField()
    province_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class CampaignSerializer(serializers.ModelSerializer):
    measure = serializers.SerializerMethodField()
    lead_unit = serializers.SerializerMethodField()
    county = serializers.SerializerMethodField()
    leader = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=CampaignState.choices)
    outcome = serializers.SerializerMethodField()
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "year", "measure", "lead_unit", "county", "leader", "state", "outcome", "criteria",
                  "directive", "period_start", "period_end", "submission_due", "submitted_on", "announced_on"]  # fmt: skip

    def get_measure(self, campaign) -> NamedSerializer:
        return _named(campaign.measure)

    def get_lead_unit(self, campaign) -> NamedSerializer:
        return _named(campaign.lead_unit)

    def get_county(self, campaign) -> NamedSerializer(allow_null=True):
        return _named(campaign.county)

    def get_leader(self, campaign) -> NamedSerializer(allow_null=True):
        return _named(campaign.leader)

    def get_outcome(self, campaign) -> OutcomeSerializer:
        return OutcomeSerializer(
            {
                "decision": campaign.outcome,
                "announced_on": campaign.announced_on,
                "reward": campaign.reward,
                "reward_amount": campaign.reward_amount,
                "province_reward": campaign.province_reward,
                "province_amount": campaign.province_amount,
            }
        ).data
