"""The assessment REST API: the same selectors, services and rules as the pages. Views catch nothing:
a refusal is answered by the API's one exception handler."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from duban.core.api import ActionRules, ScopedObjectPermission
from duban.core.api.views import SelectorViewSetMixin, payload

from .. import filters, rules, selectors, services
from . import serializers as s


class AssessmentViewSet(SelectorViewSetMixin, viewsets.GenericViewSet):
    permission_classes = [ScopedObjectPermission, ActionRules]
    action_rules: dict = {}


def evidence_upload(service, name: str, answer):
    """An object's `evidence` action: POST a file (multipart `file`) as its evidence, through `service`
    (`<name>=obj, by=, upload=`: the rule, the pages' file checks, the audit trail); answers the object
    as `answer` lists it, with the file's download. Its rule is the viewset's `action_rules["evidence"]`."""

    @extend_schema(request={"multipart/form-data": s.EvidenceUploadSerializer}, responses=answer)
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        serializer_class=s.EvidenceUploadSerializer,
        filterset_class=None,
    )
    def evidence(self, request, pk=None):
        """Upload the evidence file (multipart `file`: PDF, OFD, Word, WPS, Excel, PNG, JPEG or ZIP within
        the upload size limit, checked as the pages check it) while the object may still be changed; it
        replaces the one the object had (the audit trail keeps both names)."""
        obj = self.get_object()
        upload = payload(s.EvidenceUploadSerializer, request)["file"]
        return Response(answer(service(**{name: obj}, by=request.user, upload=upload)).data)

    return evidence


def ranking_data(request, scheme, *, month: str | None, version: int | None) -> dict:
    period = selectors.period_for(user=request.user, scheme=scheme, month=month)
    if period is None or period.current is None:
        raise Http404
    snapshot = get_object_or_404(period.snapshots.all(), version=version) if version else period.current
    rows = []
    for row in selectors.ranking_rows(snapshot):
        lines = selectors.breakdown(row, period, snapshot)
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
    action_rules = {
        "create": rules.is_unit_liaison,
        "decide": rules.may_decide_appeal,
        "evidence": rules.may_attach_appeal_evidence,
    }
    evidence = evidence_upload(services.appeal_evidence_attach, "appeal", s.AppealSerializer)

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
        "evidence": rules.may_attach_entry_evidence,
    }
    evidence = evidence_upload(services.entry_evidence_attach, "entry", s.ManualEntrySerializer)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        period = get_object_or_404(
            selectors.periods_open_for_entries(user=self.request.user), pk=data.pop("period").pk
        )
        serializer.instance = services.entry_create(period=period, by=self.request.user, **data)

    def _decide(self, request, approve: bool):
        entry = self.get_object()
        note = payload(s.DecisionNoteSerializer, request)["note"]
        entry = services.entry_decide(entry=entry, by=request.user, approve=approve, note=note)
        return Response(s.ManualEntrySerializer(entry).data, status=status.HTTP_200_OK)

    @extend_schema(request=s.DecisionNoteSerializer, responses=s.ManualEntrySerializer)
    @action(detail=True, methods=["post"], serializer_class=s.DecisionNoteSerializer)
    def approve(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(request=s.DecisionNoteSerializer, responses=s.ManualEntrySerializer)
    @action(detail=True, methods=["post"], serializer_class=s.DecisionNoteSerializer)
    def reject(self, request, pk=None):
        return self._decide(request, False)


class ExperienceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, AssessmentViewSet
):
    """Typical experiences (典型经验), as the pages show them: the list is the experience list page's
    (a unit's own; the office all), `showcase` the published ones every unit reads, and an experience is
    read by its unit, the office, and everyone once published. A unit's liaison submits; the office
    selects, publishes (on the showcase and in the weekly bulletin, counted as 加分) or rejects."""

    serializer_class = s.ExperienceSerializer
    filterset_class = filters.ExperienceFilterSet
    select = selectors.experience_list
    action_rules = {
        "create": rules.may_submit_experience,
        "choose": rules.may_decide_experience,
        "publish": rules.may_decide_experience,
        "reject": rules.may_decide_experience,
        "evidence": rules.may_edit_experience,
    }

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.experience_readable(user=self.request.user)
        return super().get_queryset()

    def perform_create(self, serializer):
        serializer.instance = services.experience_submit(by=self.request.user, **serializer.validated_data)

    @extend_schema(responses=s.ExperienceSerializer(many=True))
    @action(detail=False, methods=["get"], filterset_class=None)
    def showcase(self, request):
        """The published experiences, the latest first (the showcase page)."""
        rows = self.paginate_queryset(selectors.showcase(user=request.user))
        return self.get_paginated_response(s.ExperienceSerializer(rows, many=True).data)

    def _step(self, request, step: str):
        experience = self.get_object()
        note = payload(s.DecisionNoteSerializer, request)["note"]
        experience = services.experience_decide(
            experience=experience, by=request.user, step=step, decision=note
        )
        return Response(s.ExperienceSerializer(experience).data)

    @extend_schema(request=s.DecisionNoteSerializer, responses=s.ExperienceSerializer)
    @action(
        detail=True,
        methods=["post"],
        serializer_class=s.DecisionNoteSerializer,
        url_path="select",
        url_name="select",
    )
    def choose(self, request, pk=None):
        """Select (选用): `select` is the viewset's selector, so the method has another name."""
        return self._step(request, "select")

    @extend_schema(request=s.DecisionNoteSerializer, responses=s.ExperienceSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.DecisionNoteSerializer)
    def publish(self, request, pk=None):
        """Publish on the showcase (today), counted as 加分 and listed in this week's bulletin."""
        return self._step(request, "publish")

    @extend_schema(request=s.DecisionNoteSerializer, responses=s.ExperienceSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.DecisionNoteSerializer)
    def reject(self, request, pk=None):
        return self._step(request, "reject")

    evidence = evidence_upload(services.experience_evidence_attach, "experience", s.ExperienceSerializer)
