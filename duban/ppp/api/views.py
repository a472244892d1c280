"""The PPP REST API: the same selectors and services as the pages, so the same access rules."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from duban.core.api import ScopedObjectPermission
from duban.core.concurrency import EditConflict

from .. import fiscal, selectors, services
from ..affordability import AffordabilityInputError, report_as_dict
from ..models import ContractReview, Obligation, PPPProject, RectificationTask
from . import serializers as s


@contextmanager
def _service_errors():
    try:
        yield
    except DjangoValidationError as error:
        raise ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from error


def _conflict(conflict: EditConflict) -> Response:
    return Response({"detail": conflict.message}, status=status.HTTP_409_CONFLICT)


def _require_manager(request) -> None:
    if not selectors.is_manager(request.user):
        raise PermissionDenied


class ManagerCreateMixin(mixins.CreateModelMixin):
    """Only the finance reviewers and the office create: refused before the payload is even read."""

    def create(self, request, *args, **kwargs):
        _require_manager(request)
        return super().create(request, *args, **kwargs)


class ProjectFilter(filters.FilterSet):
    q = filters.CharFilter(method="search")

    class Meta:
        model = PPPProject
        fields = ["phase", "project_class", "mechanism", "sector", "county", "status", "path"]

    def search(self, queryset, name, value):
        return queryset.filter(
            pk__in=selectors.project_list(user=self.request.user, filters={"q": value}).values("pk")
        )


class ProjectViewSet(ManagerCreateMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """PPP projects visible to the caller; finance reviewers and the office register and edit them, the
    implementing agency's liaisons report progress through `progress`."""

    permission_classes = [ScopedObjectPermission]
    filterset_class = ProjectFilter

    def get_queryset(self):
        return selectors.project_list(user=self.request.user)

    def get_serializer_class(self):
        return s.PPPProjectDetailSerializer if self.action == "retrieve" else s.PPPProjectSerializer

    def perform_create(self, serializer):
        _require_manager(self.request)
        with _service_errors():
            serializer.instance = services.project_create(by=self.request.user, **serializer.validated_data)

    def update(self, request, *args, **kwargs):
        project = self.get_object()
        _require_manager(request)
        serializer = self.get_serializer(project, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        expected = request.data.get("version", project.version)
        try:
            with _service_errors():
                project = services.project_update(
                    project=project,
                    by=request.user,
                    expected_version=int(expected),
                    **serializer.validated_data,
                )
        except EditConflict as conflict:
            return _conflict(conflict)
        return Response(s.PPPProjectSerializer(project).data)

    @action(detail=True, methods=["post"], serializer_class=s.PPPProgressSerializer)
    def progress(self, request, pk=None):
        project = self.get_object()
        data = s.PPPProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        step = get_object_or_404(project.steps, code=values.pop("step"))
        values.setdefault("planned_on", step.planned_on)
        values.setdefault("done_on", step.done_on)
        with _service_errors():
            services.step_update(step=step, by=request.user, **values)
        project.refresh_from_db()
        return Response(s.PPPProjectDetailSerializer(project).data)

    @action(detail=True, methods=["post"], serializer_class=s.PPPOverrideSerializer)
    def override(self, request, pk=None):
        project = self.get_object()
        data = s.PPPOverrideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with _service_errors():
            project = services.project_override_class(project=project, by=request.user, **data.validated_data)
        return Response(s.PPPProjectSerializer(project).data)

    @action(detail=True, methods=["get"])
    def affordability(self, request, pk=None):
        project = self.get_object()
        spending = fiscal.project_spending(project)
        return Response(
            {
                "missing_terms": fiscal.missing_terms(project),
                "years": [
                    {
                        "year": year,
                        "equity": float(e.equity),
                        "subsidy": float(e.subsidy),
                        "risk": float(e.risk),
                        "supporting": float(e.supporting),
                        "total": float(e.total),
                    }
                    for year, e in sorted(spending.by_year.items())
                ]
                if spending
                else [],
            }
        )

    @action(detail=True, methods=["get"], url_path="what-if")
    def what_if(self, request, pk=None):
        project = self.get_object()
        if not selectors.sees_programme(request.user):
            raise PermissionDenied
        try:
            check = fiscal.what_if(project=project)
        except fiscal.NoBudget as error:
            raise ValidationError({"budget": "no budget"}) from error
        except AffordabilityInputError as error:
            raise ValidationError({error.field: error.params.get("missing") or error.message}) from error
        return Response(
            {
                "allowed": check.allowed,
                "refusals": [
                    {
                        "code": r.code,
                        "years": list(r.years),
                        "message": fiscal.describe_refusal(r.code, r.years),
                    }
                    for r in check.refusals
                ],
                "after": report_as_dict(check.after)["years"],
            }
        )


class ObligationViewSet(ManagerCreateMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PPPObligationSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_fields = ["project", "state", "side", "kind"]

    def get_queryset(self):
        return Obligation.objects.filter(
            project__in=selectors.project_list(user=self.request.user).values("pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = get_object_or_404(selectors.project_list(user=self.request.user), pk=data.pop("project").pk)
        with _service_errors():
            serializer.instance = services.obligation_create(project=project, by=self.request.user, **data)

    @action(detail=True, methods=["post"], serializer_class=s.PPPObligationTransitionSerializer)
    def transition(self, request, pk=None):
        obligation = get_object_or_404(self.get_queryset(), pk=pk)
        data = s.PPPObligationTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with _service_errors():
            obligation = services.obligation_transition(
                obligation=obligation, by=request.user, **data.validated_data
            )
        return Response(s.PPPObligationSerializer(obligation).data)


class ContractViewSet(ManagerCreateMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PPPContractSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_fields = ["project", "kind"]

    def get_queryset(self):
        from ..models import Contract

        return Contract.objects.filter(
            project__in=selectors.project_list(user=self.request.user).values("pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = get_object_or_404(selectors.project_list(user=self.request.user), pk=data.pop("project").pk)
        with _service_errors():
            serializer.instance = services.contract_add(project=project, by=self.request.user, **data)


class CampaignViewSet(ManagerCreateMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PPPCampaignSerializer
    permission_classes = [ScopedObjectPermission]

    def get_queryset(self):
        return selectors.campaign_list(user=self.request.user)

    def perform_create(self, serializer):
        with _service_errors():
            serializer.instance = services.campaign_create(by=self.request.user, **serializer.validated_data)

    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        campaign = self.get_object()
        with _service_errors():
            count = services.campaign_start(campaign=campaign, by=request.user)
        return Response({"reviews": count})

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        campaign = self.get_object()
        with _service_errors():
            services.campaign_close(campaign=campaign, by=request.user)
        return Response(s.PPPCampaignSerializer(campaign).data)


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PPPReviewSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_fields = ["campaign", "project", "state"]

    def get_queryset(self):
        return selectors.review_list(user=self.request.user).prefetch_related("items", "findings")

    def _review(self) -> ContractReview:
        review = self.get_object()
        _require_manager(self.request)
        return review

    @action(detail=True, methods=["post"], serializer_class=s.PPPCheckSerializer)
    def checklist(self, request, pk=None):
        review = self._review()
        data = s.PPPCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        results = {
            int(item["id"]): (item.get("result", "unchecked"), item.get("note", ""))
            for item in data.validated_data["items"]
        }
        with _service_errors():
            services.review_check(review=review, by=request.user, results=results)
        return Response(s.PPPReviewSerializer(self.get_queryset().get(pk=review.pk)).data)

    @action(detail=True, methods=["post"], serializer_class=s.PPPFindingSerializer)
    def findings(self, request, pk=None):
        review = self._review()
        data = s.PPPFindingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with _service_errors():
            finding = services.finding_add(review=review, by=request.user, **data.validated_data)
        return Response(s.PPPFindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=s.PPPRatingSerializer)
    def rate(self, request, pk=None):
        review = self._review()
        data = s.PPPRatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with _service_errors():
            services.review_rate(review=review, by=request.user, **data.validated_data)
        return Response(s.PPPReviewSerializer(self.get_queryset().get(pk=review.pk)).data)

    @action(detail=True, methods=["post"], serializer_class=s.PPPTaskSerializer)
    def tasks(self, request, pk=None):
        review = self._review()
        data = s.PPPTaskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with _service_errors():
            task = services.task_create(review=review, by=request.user, **data.validated_data)
        return Response(s.PPPTaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        review = self._review()
        with _service_errors():
            services.review_close(review=review, by=request.user)
        return Response(s.PPPReviewSerializer(self.get_queryset().get(pk=review.pk)).data)


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PPPTaskSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_fields = ["state", "project", "owner_unit"]

    def get_queryset(self):
        return selectors.task_list(user=self.request.user)

    @action(detail=True, methods=["post"], serializer_class=s.PPPTaskSubmitSerializer)
    def submit(self, request, pk=None):
        task: RectificationTask = self.get_object()
        data = s.PPPTaskSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            with _service_errors():
                task = services.task_submit(
                    task=task,
                    by=request.user,
                    response=data.validated_data["response"],
                    expected_version=data.validated_data.get("version", task.version),
                )
        except EditConflict as conflict:
            return _conflict(conflict)
        return Response(s.PPPTaskSerializer(task).data)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        task = self.get_object()
        with _service_errors():
            task = services.task_accept(task=task, by=request.user)
        return Response(s.PPPTaskSerializer(task).data)

    @action(detail=True, methods=["post"], url_path="return", serializer_class=s.PPPReasonSerializer)
    def send_back(self, request, pk=None):
        task = self.get_object()
        data = s.PPPReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with _service_errors():
            task = services.task_return(task=task, by=request.user, reason=data.validated_data["reason"])
        return Response(s.PPPTaskSerializer(task).data)

    @action(detail=True, methods=["post"], serializer_class=s.PPPReasonSerializer)
    def cancel(self, request, pk=None):
        task = self.get_object()
        data = s.PPPReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with _service_errors():
            task = services.task_cancel(task=task, by=request.user, reason=data.validated_data["reason"])
        return Response(s.PPPTaskSerializer(task).data)

    @action(detail=True, methods=["post"], serializer_class=s.PPPRescheduleSerializer)
    def reschedule(self, request, pk=None):
        task = self.get_object()
        data = s.PPPRescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            with _service_errors():
                task = services.task_reschedule(
                    task=task,
                    by=request.user,
                    deadline=data.validated_data["deadline"],
                    reason=data.validated_data["reason"],
                    expected_version=data.validated_data.get("version", task.version),
                )
        except EditConflict as conflict:
            return _conflict(conflict)
        return Response(s.PPPTaskSerializer(task).data)

    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """The office makes the task a directive (督办事项) assigned to its owner unit."""
        task = self.get_object()
        with _service_errors():
            task = services.task_link(task=task, by=request.user)
        return Response(s.PPPTaskSerializer(task).data)


class AffordabilityViewSet(viewsets.ViewSet):
    """The whole programme's yearly ratio against the lines in force (same shape as `duban ppp affordability --json`)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        if not selectors.sees_programme(request.user):
            raise PermissionDenied
        try:
            view = fiscal.programme_view()
        except fiscal.NoBudget as error:
            raise ValidationError({"budget": "no budget"}) from error
        data = report_as_dict(view.report)
        data["thresholds"] = {
            "cap": float(view.thresholds.cap),
            "warning": float(view.thresholds.warning),
            "gov_pay_gate": float(view.thresholds.gov_pay_gate),
        }
        data["incomplete"] = [project.pk for project in view.incomplete]
        return Response(data)
