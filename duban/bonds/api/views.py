"""The bond API: the same selectors, FilterSets, rules, transition table and services as the pages.

Nothing is caught here: a refusal of a service is answered by the API's one exception handler."""

from collections.abc import Mapping

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from duban.core.api import ScopedObjectPermission
from duban.core.api.views import SelectorViewSetMixin, VersionedUpdateMixin, payload
from duban.core.rules import require

from .. import rules, selectors, services
from ..filters import ApplicationFilterSet, ProjectFilterSet
from ..workflow import WORKFLOW, Input, transition_for
from .serializers import (
    ApplicationSerializer,
    BatchSerializer,
    CashFlowRowSerializer,
    DebtSerializer,
    DocumentListSerializer,
    DocumentSerializer,
    EventSerializer,
    FiguresQuerySerializer,
    ProjectSerializer,
    TransitionInputSerializer,
    TransitionOptionSerializer,
    balance_data,
    figures_data,
)


class ProjectViewSet(
    SelectorViewSetMixin, mixins.CreateModelMixin, VersionedUpdateMixin, viewsets.ReadOnlyModelViewSet
):
    """The project library; units see their own projects, finance reviewers and the office all."""

    serializer_class = ProjectSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_class = ProjectFilterSet
    select = selectors.project_list

    def _project(self, pk):
        """The project as the user reads it; what they may do with it is the service's to say."""
        return get_object_or_404(self.get_queryset(), pk=pk)

    def create(self, request, *args, **kwargs):
        # Authorize first: may the caller enter a project for the applying unit it names? A liaison of
        # another unit is refused (403) before the payload is checked, so it learns nothing from it.
        require(rules.may_create_project, request.user, self._named_unit(request.data))
        return super().create(request, *args, **kwargs)

    def _named_unit(self, data):
        raw = data.get("applying_unit") if isinstance(data, Mapping) else None
        if not str(raw).strip().isdecimal():
            return None  # none named (the caller's own unit), or not an id: the payload's check says so
        return self.get_serializer().fields["applying_unit"].get_queryset().filter(pk=int(raw)).first()

    def perform_create(self, serializer):
        serializer.instance = services.project_create(by=self.request.user, **serializer.validated_data)

    def update_with(self, project, **changes):
        return services.project_update(project=project, by=self.request.user, **changes)

    @extend_schema(responses=TransitionOptionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def transitions(self, request, pk=None):
        """The steps this user may take; a step that asks for a reason to override a failing balance
        test says why it fails (`balance_failure`), as the page's confirmation does."""
        project = self.get_object()
        steps = []
        for t in WORKFLOW.available(request.user, project):
            step = {"name": t.name, "label": str(t.label), "inputs": [str(i) for i in t.inputs]}
            if Input.OVERRIDE in t.inputs:
                failure = selectors.balance_failure(project)
                step["balance_failure"] = failure.as_data() if failure else None
            steps.append(step)
        return Response(steps)

    @extend_schema(request=TransitionInputSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request, pk=None, name=None):
        # Who may take the step is the transition table's to say (a supervising department reviews
        # a project it may not edit), not the write permission of the library.
        project = self._project(pk)
        transition_for(request.user, project, name)
        inputs = payload(TransitionInputSerializer, request)
        project = services.project_transition(project=project, by=request.user, name=name, **inputs)
        return Response(self.get_serializer(project).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def balance(self, request, pk=None):
        project = self.get_object()
        return Response(balance_data(project, selectors.project_balance(project)))

    @extend_schema(request=CashFlowRowSerializer(many=True), responses=CashFlowRowSerializer(many=True))
    @action(detail=True, methods=["get", "put"], url_path="cash-flows", pagination_class=None)
    def cash_flows(self, request, pk=None):
        """GET the table; PUT replaces it as a whole (all or nothing)."""
        project = self._project(pk)
        if request.method == "PUT":
            rows = payload(CashFlowRowSerializer, request, many=True)
            services.cash_flows_replace(project=project, by=request.user, rows=rows)
        return Response(CashFlowRowSerializer(selectors.cash_flow_list(project), many=True).data)

    @extend_schema(request=DebtSerializer, responses=DebtSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def debts(self, request, pk=None):
        project = self._project(pk)
        if request.method == "POST":
            services.debt_save(project=project, by=request.user, **payload(DebtSerializer, request))
        return Response(DebtSerializer(selectors.debt_list(project), many=True).data)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        return Response(EventSerializer(selectors.event_list(self.get_object()), many=True).data)

    @extend_schema(request=DocumentSerializer, responses=DocumentListSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def documents(self, request, pk=None):
        """GET the attachments and the checklist of what is missing; POST uploads one (multipart)."""
        project = self._project(pk)
        if request.method == "POST":
            data = payload(DocumentSerializer, request)
            services.document_add(
                project=project,
                by=request.user,
                kind=data["kind"],
                upload=data["file"],
                note=data.get("note"),
            )
        documents = DocumentSerializer(
            selectors.document_list(project), many=True, context={"request": request}
        )
        missing = [str(label) for label in selectors.missing_documents(project)]
        return Response({"documents": documents.data, "missing": missing})


class BatchViewSet(SelectorViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = BatchSerializer
    select = selectors.batch_list

    def perform_create(self, serializer):
        serializer.instance = services.batch_create(by=self.request.user, **serializer.validated_data)

    @extend_schema(responses=ApplicationSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def applications(self, request, pk=None):
        batch = self.get_object()
        applications = selectors.application_list(user=request.user, filters={"batch": batch.pk})
        return Response(ApplicationSerializer(applications, many=True).data)


class ApplicationViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet
    select = selectors.application_list


class FiguresView(APIView):
    """The programme's figures: success rates per batch, county, department and theme; quota won;
    issuance and spending progress; lagging projects (for the weekly bulletin and the ranking)."""

    @extend_schema(parameters=[FiguresQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        query = FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        return Response(figures_data(user=request.user, year=year))
