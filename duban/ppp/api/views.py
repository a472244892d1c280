"""The PPP REST API: the same selectors, services, rules and FilterSets as the pages. Views catch nothing:
a refusal is answered by the API's one exception handler."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from duban.core.api import ActionRules, ScopedObjectPermission, allowed_by
from duban.core.api.schema import ErrorSerializer
from duban.core.api.views import SelectorViewSetMixin, VersionedUpdateMixin, payload

from .. import filters, fiscal, rules, selectors, services
from ..affordability import report_as_dict
from . import serializers as s


class PPPViewSet(SelectorViewSetMixin, viewsets.GenericViewSet):
    permission_classes = [ScopedObjectPermission, ActionRules]
    action_rules: dict = {}


class ManagersCreate(mixins.CreateModelMixin):
    """The finance reviewers and the office create (the rule is asked before the payload is read)."""

    def perform_create(self, serializer):
        serializer.instance = self.create_with(**serializer.validated_data)

    def project_in_reach(self, project):
        """A project named in a payload is one the caller may see (404 otherwise)."""
        return get_object_or_404(selectors.project_list(user=self.request.user), pk=project.pk)


class ProjectViewSet(
    ManagersCreate, VersionedUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PPPViewSet
):
    """PPP projects visible to the caller; finance reviewers and the office register and edit them, the
    implementing agency's liaisons report progress through `progress`."""

    filterset_class = filters.ProjectFilterSet
    select = selectors.project_list
    action_rules = {
        "create": rules.is_manager,
        "update": rules.is_manager,
        "partial_update": rules.is_manager,
        "progress": rules.may_report_progress,
        "override": rules.may_override_class,
        "what_if": rules.sees_programme,
    }

    def get_serializer_class(self):
        return s.PPPProjectDetailSerializer if self.action == "retrieve" else s.PPPProjectSerializer

    def create_with(self, **data):
        return services.project_create(by=self.request.user, **data)

    def update_with(self, project, **changes):
        return services.project_update(project=project, by=self.request.user, **changes)

    @extend_schema(request=s.PPPProgressSerializer, responses=s.PPPProjectDetailSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.PPPProgressSerializer)
    def progress(self, request, pk=None):
        project = self.get_object()
        values = dict(payload(s.PPPProgressSerializer, request))
        step = get_object_or_404(project.steps, code=values.pop("step"))
        values.setdefault("planned_on", step.planned_on)
        values.setdefault("done_on", step.done_on)
        services.step_update(step=step, by=request.user, **values)
        project.refresh_from_db()
        return Response(s.PPPProjectDetailSerializer(project).data)

    @extend_schema(request=s.PPPOverrideSerializer, responses=s.PPPProjectSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.PPPOverrideSerializer)
    def override(self, request, pk=None):
        project = self.get_object()
        override = payload(s.PPPOverrideSerializer, request)
        project = services.project_override_class(project=project, by=request.user, **override)
        return Response(s.PPPProjectSerializer(project).data)

    @extend_schema(responses=s.PPPAffordabilitySerializer)
    @action(detail=True, methods=["get"], pagination_class=None)
    def affordability(self, request, pk=None):
        project = self.get_object()
        spending = fiscal.project_spending(project)
        years = sorted(spending.by_year.items()) if spending else []
        kinds = ("equity", "subsidy", "risk", "supporting", "total")
        return Response(
            {
                "missing_terms": fiscal.missing_terms(project),
                "years": [{"year": year, **{k: float(getattr(e, k)) for k in kinds}} for year, e in years],
            }
        )

    # A project already counted cannot be tested as a new one: a 400 although the request has no input.
    @extend_schema(responses={200: s.PPPWhatIfSerializer, 400: ErrorSerializer})
    @action(detail=True, methods=["get"], url_path="what-if", pagination_class=None)
    def what_if(self, request, pk=None):
        check = fiscal.what_if(project=self.get_object())
        refusals = [
            {"code": r.code, "years": list(r.years), "message": fiscal.describe_refusal(r.code, r.years)}
            for r in check.refusals
        ]
        return Response(
            {"allowed": check.allowed, "refusals": refusals, "after": report_as_dict(check.after)["years"]}
        )


class ProjectPartViewSet(ManagersCreate, mixins.ListModelMixin, mixins.RetrieveModelMixin, PPPViewSet):
    """What belongs to a project (obligations, contracts): the managers create it for a project in reach."""

    action_rules = {"create": rules.is_manager}
    add = None  # the creating service

    def create_with(self, *, project, **data):
        return type(self).add(project=self.project_in_reach(project), by=self.request.user, **data)


class ObligationViewSet(ProjectPartViewSet):
    serializer_class = s.PPPObligationSerializer
    filterset_class = filters.ObligationFilterSet
    select, add = staticmethod(selectors.obligation_list), staticmethod(services.obligation_create)

    @extend_schema(request=s.PPPObligationTransitionSerializer, responses=s.PPPObligationSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.PPPObligationTransitionSerializer)
    def transition(self, request, pk=None):
        obligation = self.get_object()
        step = payload(s.PPPObligationTransitionSerializer, request)
        obligation = services.obligation_transition(obligation=obligation, by=request.user, **step)
        return Response(s.PPPObligationSerializer(obligation).data)


class ContractViewSet(ProjectPartViewSet):
    serializer_class = s.PPPContractSerializer
    filterset_class = filters.ContractFilterSet
    select, add = staticmethod(selectors.contract_list), staticmethod(services.contract_add)


class CampaignViewSet(ManagersCreate, mixins.ListModelMixin, mixins.RetrieveModelMixin, PPPViewSet):
    serializer_class = s.PPPCampaignSerializer
    filterset_class = filters.CampaignFilterSet
    action_rules = {"create": rules.is_manager}
    select = selectors.campaign_list

    def create_with(self, **data):
        return services.campaign_create(by=self.request.user, **data)

    @extend_schema(request=None, responses=s.PPPCampaignStartSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return Response({"reviews": services.campaign_start(campaign=self.get_object(), by=request.user)})

    @extend_schema(request=None, responses=s.PPPCampaignSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        campaign = services.campaign_close(campaign=self.get_object(), by=request.user)
        return Response(s.PPPCampaignSerializer(campaign).data)


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PPPViewSet):
    serializer_class = s.PPPReviewSerializer
    filterset_class = filters.ReviewFilterSet
    action_rules = dict.fromkeys(["checklist", "findings", "rate", "tasks", "close"], rules.is_manager)

    def get_queryset(self):
        return selectors.review_list(user=self.request.user).prefetch_related("items", "findings")

    def _answer(self, review, status_code=status.HTTP_200_OK):
        return Response(s.PPPReviewSerializer(self.get_queryset().get(pk=review.pk)).data, status=status_code)

    @extend_schema(request=s.PPPCheckSerializer, responses=s.PPPReviewSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.PPPCheckSerializer)
    def checklist(self, request, pk=None):
        review = self.get_object()
        checklist = s.PPPCheckSerializer(data=request.data)
        checklist.is_valid(raise_exception=True)
        results = checklist.results()
        return self._answer(services.review_check(review=review, by=request.user, results=results))

    @extend_schema(request=s.PPPFindingSerializer, responses={201: s.PPPFindingSerializer})
    @action(detail=True, methods=["post"], serializer_class=s.PPPFindingSerializer)
    def findings(self, request, pk=None):
        review = self.get_object()
        data = payload(s.PPPFindingSerializer, request)
        finding = services.finding_add(review=review, by=request.user, **data)
        return Response(s.PPPFindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PPPRatingSerializer, responses=s.PPPReviewSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.PPPRatingSerializer)
    def rate(self, request, pk=None):
        review = self.get_object()
        data = payload(s.PPPRatingSerializer, request)
        return self._answer(services.review_rate(review=review, by=request.user, **data))

    @extend_schema(request=s.PPPTaskSerializer, responses={201: s.PPPTaskSerializer})
    @action(detail=True, methods=["post"], serializer_class=s.PPPTaskSerializer)
    def tasks(self, request, pk=None):
        review = self.get_object()
        data = payload(s.PPPTaskSerializer, request)
        task = services.task_create(review=review, by=request.user, **data)
        return Response(s.PPPTaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.PPPReviewSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._answer(services.review_close(review=self.get_object(), by=request.user))


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PPPViewSet):
    serializer_class = s.PPPTaskSerializer
    filterset_class = filters.TaskFilterSet
    action_rules = {
        **dict.fromkeys(["accept", "send_back", "cancel", "reschedule"], rules.is_manager),
        "link": rules.is_office_user,
    }

    select = selectors.task_list

    def _step(self, service, serializer_class=None, **fixed):
        """Fetch the task (authorizing), read the payload, take the step, answer with the task."""
        task = self.get_object()
        data = dict(payload(serializer_class, self.request)) if serializer_class is not None else {}
        if "version" in data:
            version = data.pop("version")
            data["expected_version"] = task.version if version is None else version
        task = service(task=task, by=self.request.user, **data, **fixed)
        return Response(s.PPPTaskSerializer(task).data)

    @extend_schema(request=s.PPPTaskSubmitSerializer, responses=s.PPPTaskSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.PPPTaskSubmitSerializer)
    def submit(self, request, pk=None):
        return self._step(services.task_submit, s.PPPTaskSubmitSerializer)

    @extend_schema(request=None, responses=s.PPPTaskSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(services.task_accept)

    @extend_schema(request=s.PPPReasonSerializer, responses=s.PPPTaskSerializer)
    @action(detail=True, methods=["post"], url_path="return", serializer_class=s.PPPReasonSerializer)
    def send_back(self, request, pk=None):
        return self._step(services.task_return, s.PPPReasonSerializer)

    @extend_schema(request=s.PPPReasonSerializer, responses=s.PPPTaskSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.PPPReasonSerializer)
    def cancel(self, request, pk=None):
        return self._step(services.task_cancel, s.PPPReasonSerializer)

    @extend_schema(request=s.PPPRescheduleSerializer, responses=s.PPPTaskSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.PPPRescheduleSerializer)
    def reschedule(self, request, pk=None):
        return self._step(services.task_reschedule, s.PPPRescheduleSerializer)

    @extend_schema(request=None, responses=s.PPPTaskSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """The office makes the task a directive (督办事项) assigned to its owner unit."""
        return self._step(services.task_link)


class AffordabilityViewSet(viewsets.ViewSet):
    """The whole programme's yearly ratio against the lines in force (same shape as `duban ppp affordability --json`)."""

    permission_classes = [allowed_by(rules.sees_programme)]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        view = fiscal.programme_view()
        data = report_as_dict(view.report)
        data["thresholds"] = {
            name: float(getattr(view.thresholds, name)) for name in ("cap", "warning", "gov_pay_gate")
        }
        data["incomplete"] = [project.pk for project in view.incomplete]
        return Response(data)
