"""The assessment REST API: the same selectors, services and rules as the pages. Views catch nothing:
a refusal is answered by the API's one exception handler."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from duban.core.api import ActionRules, ScopedObjectPermission
from duban.core.api.views import SelectorViewSetMixin, payload

from .. import filters, rules, selectors, services
from . import serializers as s


class AssessmentViewSet(SelectorViewSetMixin, viewsets.GenericViewSet):
    permission_classes = [ScopedObjectPermission, ActionRules]
    action_rules: dict = {}


def ranking_data(request, scheme, *, month: str | None, version: int | None) -> dict:
    period = selectors.period_for(user=request.user, scheme=scheme, month=month)
    if period is None or period.current is None:
        raise Http404
    snapshot = get_object_or_404(period.snapshots.all(), version=version) if version else period.current
    rows = []
    for row in selectors.ranking_rows(snapshot):
        lines = selectors.breakdown(row, period)
        rows.append(
            {
                "unit": {"id": row.unit_id, "name": row.unit.name},
                "group": row.group,
                "score": row.score,
                "rank": row.rank,
                "rank_change": row.rank_change,
                "grade": row.grade,
                "breakdown": [
                    {
                        "indicator": line.indicator,
                        "name": line.name,
                        "formula": line.formula,
                        "weight": line.weight,
                        "value": line.value,
                        "points": line.points,
                        "records_url": request.build_absolute_uri(line.records_url),
                    }
                    for line in lines
                ],
            }
        )
    return {
        "scheme": scheme,
        "period": period.label,
        "state": period.state,
        "version": snapshot.version,
        "rule_version": snapshot.rule_version,
        "rows": rows,
    }


def scheme_detail(scheme, tree, setups) -> dict:
    """The scheme's fields, its groups and its tree as read by `selectors.scheme_setup` (four queries)."""
    data = {name: getattr(scheme, name) for name in s.SchemeDetailSerializer.Meta.fields[:10]}
    data["groups"] = [
        {
            "id": setup.group.pk,
            "name": setup.group.name,
            "sort_order": setup.group.sort_order,
            "members": setup.members,
            "weights": [{"indicator": pk, "weight": weight} for pk, weight in setup.weights.items()],
        }
        for setup in setups
    ]
    data["indicators"] = tree
    return data


def payload_of_query(request) -> dict:
    """`?period=YYYY-MM&version=N`, read by a serializer (a bad one is a 400 naming it)."""
    reader = s.RankingQuerySerializer(data=request.query_params)
    reader.is_valid(raise_exception=True)
    return reader.validated_data


class SchemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AssessmentViewSet):
    """The schemes the caller reads: public ones for all, internal ones for the office and leaders."""

    serializer_class = s.SchemeSerializer
    filterset_class = filters.SchemeFilterSet
    select = selectors.scheme_list

    def get_serializer_class(self):
        return s.SchemeDetailSerializer if self.action == "retrieve" else super().get_serializer_class()

    @extend_schema(responses=s.SchemeDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        """The scheme with its groups (members, own weights) and its indicator tree."""
        scheme = self.get_object()
        tree, setups = selectors.scheme_setup(scheme)
        return Response(s.SchemeDetailSerializer(scheme_detail(scheme, tree, setups)).data)

    @extend_schema(
        parameters=[s.RankingQuerySerializer],
        responses=s.RankingSerializer,
    )
    @action(detail=True, methods=["get"], serializer_class=s.RankingSerializer, filterset_class=None)
    def ranking(self, request, pk=None):
        """The ranking of the period holding `period` (YYYY-MM), or the latest published one, with every
        row's breakdown and the list page of the records behind each value."""
        scheme = self.get_object()
        query = payload_of_query(request)
        data = ranking_data(request, scheme, month=query.get("period"), version=query.get("version"))
        return Response(s.RankingSerializer(data).data)


class AppealViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, AssessmentViewSet
):
    """Appeals of the caller's units; a liaison appeals within the 公示 period, the office decides."""

    serializer_class = s.AppealSerializer
    filterset_class = filters.AppealFilterSet
    select = selectors.appeal_list
    action_rules = {"create": rules.is_unit_liaison, "decide": rules.may_decide_appeal}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        period = get_object_or_404(selectors.period_list(user=self.request.user), pk=data.pop("period").pk)
        serializer.instance = services.appeal_create(period=period, by=self.request.user, **data)

    @extend_schema(request=s.AppealDecisionSerializer, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.AppealDecisionSerializer)
    def decide(self, request, pk=None):
        appeal = self.get_object()
        appeal = services.appeal_decide(
            appeal=appeal, by=request.user, **payload(s.AppealDecisionSerializer, request)
        )
        return Response(s.AppealSerializer(appeal).data)


class ManualEntryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, AssessmentViewSet
):
    """Manual entries: a named reviewer (the office or a leader) enters, the office approves."""

    serializer_class = s.ManualEntrySerializer
    filterset_class = filters.EntryFilterSet
    select = selectors.entry_list
    action_rules = {
        "create": rules.may_enter_score,
        "approve": rules.may_decide_entry,
        "reject": rules.may_decide_entry,
    }

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        period = get_object_or_404(
            selectors.periods_open_for_entries(user=self.request.user), pk=data.pop("period").pk
        )
        serializer.instance = services.entry_create(period=period, by=self.request.user, **data)

    def _decide(self, request, approve: bool):
        entry = self.get_object()
        note = payload(s.EntryDecisionSerializer, request)["note"]
        entry = services.entry_decide(entry=entry, by=request.user, approve=approve, note=note)
        return Response(s.ManualEntrySerializer(entry).data, status=status.HTTP_200_OK)

    @extend_schema(request=s.EntryDecisionSerializer, responses=s.ManualEntrySerializer)
    @action(detail=True, methods=["post"], serializer_class=s.EntryDecisionSerializer)
    def approve(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(request=s.EntryDecisionSerializer, responses=s.ManualEntrySerializer)
    @action(detail=True, methods=["post"], serializer_class=s.EntryDecisionSerializer)
    def reject(self, request, pk=None):
        return self._decide(request, False)
