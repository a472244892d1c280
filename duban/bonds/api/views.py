"""The bond API: the same selectors, services and access rules as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from duban.core.api import ScopedObjectPermission
from duban.core.concurrency import EditConflict

from .. import balance as bm
from .. import regulations, selectors, services
from ..models import BondProject
from ..workflow import TRANSITIONS, actors_for, transition_kwargs
from .serializers import (
    ApplicationSerializer,
    BatchSerializer,
    CashFlowRowSerializer,
    DebtSerializer,
    DocumentSerializer,
    EventSerializer,
    ProjectSerializer,
    TransitionInputSerializer,
)


def _django_errors(error: DjangoValidationError):
    return error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}


class ProjectFilter(filters.FilterSet):
    q = filters.CharFilter(method="search")

    class Meta:
        model = BondProject
        fields = ["theme", "state", "category", "county", "supervising_department", "applying_unit", "batch"]

    def search(self, queryset, name, value):
        return queryset.filter(
            pk__in=selectors.project_list(user=self.request.user, filters={"q": value}).values("pk")
        )


class ProjectViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The project library; units see their own projects, finance reviewers and the office all."""

    serializer_class = ProjectSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_class = ProjectFilter

    def get_queryset(self):
        return selectors.project_list(user=self.request.user)

    def perform_create(self, serializer):
        try:
            serializer.instance = services.project_create(by=self.request.user, **serializer.validated_data)
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        except DjangoValidationError as error:
            raise ValidationError(_django_errors(error)) from error

    def update(self, request, *args, **kwargs):
        project = self.get_object()
        serializer = self.get_serializer(project, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        expected = request.data.get("version", project.version)
        try:
            project = services.project_update(
                project=project, by=request.user, expected_version=int(expected), **serializer.validated_data
            )
        except EditConflict as conflict:
            return Response({"detail": conflict.message}, status=status.HTTP_409_CONFLICT)
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        except DjangoValidationError as error:
            raise ValidationError(_django_errors(error)) from error
        return Response(self.get_serializer(project).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def transitions(self, request, pk=None):
        project = self.get_object()
        return Response(
            [
                {"name": t.name, "label": str(t.label), "inputs": [str(i) for i in t.inputs]}
                for t in services.available_transitions(project=project, user=request.user)
            ]
        )

    @extend_schema(request=TransitionInputSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request, pk=None, name=None):
        project = self.get_object()
        transition = TRANSITIONS.get(name)
        if transition is None:
            return Response({"detail": _("没有这个操作。")}, status=status.HTTP_404_NOT_FOUND)
        if not (actors_for(request.user, project) & transition.actors):
            raise PermissionDenied
        inputs = TransitionInputSerializer(data=request.data)
        inputs.is_valid(raise_exception=True)
        try:
            project = services.SERVICES[name](
                project=project, by=request.user, **transition_kwargs(transition, inputs.validated_data)
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        except DjangoValidationError as error:
            return Response({"detail": "；".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(project).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def balance(self, request, pk=None):
        project = self.get_object()
        outcome = selectors.project_balance(project)
        if outcome.result is None:
            return Response({"error": outcome.error, "passes": False})
        return Response(
            {
                **bm.result_to_dict(outcome.result, sensitivity_rows=outcome.sensitivity),
                "min_coverage": float(outcome.rule.min_coverage),
                "schedules": [
                    {
                        "kind": str(item["kind"]),
                        "principal": bm.amount_number(item["debt"].principal),
                        "rate": float(item["debt"].rate),
                        "issue_year": item["debt"].issue_year,
                        "term_years": item["debt"].term_years,
                        "lines": [
                            {
                                "year": line.year,
                                "outstanding": bm.amount_number(line.outstanding),
                                "interest": bm.amount_number(line.interest),
                                "principal": bm.amount_number(line.principal),
                            }
                            for line in item["lines"]
                        ],
                    }
                    for item in outcome.schedules
                ],
                "problems": [p.message for p in regulations.project_problems(project)],
                "missing_documents": [str(label) for label in selectors.missing_documents(project)],
            }
        )

    @extend_schema(request=CashFlowRowSerializer(many=True), responses=CashFlowRowSerializer(many=True))
    @action(detail=True, methods=["get", "put"], url_path="cash-flows")
    def cash_flows(self, request, pk=None):
        """GET the table; PUT replaces it as a whole (all or nothing)."""
        project = self.get_object()
        if request.method == "PUT":
            rows = CashFlowRowSerializer(data=request.data, many=True)
            rows.is_valid(raise_exception=True)
            years = [r["year"] for r in rows.validated_data]
            if len(years) != len(set(years)):
                raise ValidationError({"detail": _("年度重复。")})
            try:
                with transaction.atomic():
                    for row in project.cash_flows.all():
                        services.cash_flow_delete(project=project, by=request.user, row=row)
                    for data in rows.validated_data:
                        services.cash_flow_save(project=project, by=request.user, **data)
            except DjangoPermissionDenied as error:
                raise PermissionDenied from error
            except DjangoValidationError as error:
                raise ValidationError(_django_errors(error)) from error
        return Response(CashFlowRowSerializer(project.cash_flows.all(), many=True).data)

    @extend_schema(request=DebtSerializer, responses=DebtSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def debts(self, request, pk=None):
        project = self.get_object()
        if request.method == "POST":
            serializer = DebtSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            try:
                services.debt_save(project=project, by=request.user, **serializer.validated_data)
            except DjangoPermissionDenied as error:
                raise PermissionDenied from error
            except DjangoValidationError as error:
                raise ValidationError(_django_errors(error)) from error
        return Response(DebtSerializer(project.debts.all(), many=True).data)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        project = self.get_object()
        return Response(EventSerializer(project.events.select_related("by"), many=True).data)

    @extend_schema(request=DocumentSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get", "post"])
    def documents(self, request, pk=None):
        """GET the attachments and the checklist of what is missing; POST uploads one (multipart)."""
        project = self.get_object()
        if request.method == "POST":
            upload = DocumentSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            try:
                services.document_add(
                    project=project,
                    by=request.user,
                    kind=upload.validated_data["kind"],
                    upload=upload.validated_data["file"],
                    note=upload.validated_data.get("note", ""),
                )
            except DjangoPermissionDenied as error:
                raise PermissionDenied from error
            except DjangoValidationError as error:
                raise ValidationError(_django_errors(error)) from error
        return Response(
            {
                "documents": DocumentSerializer(
                    project.documents.all(), many=True, context={"request": request}
                ).data,
                "missing": [str(label) for label in selectors.missing_documents(project)],
            }
        )


class BatchViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = BatchSerializer

    def get_queryset(self):
        return selectors.batch_list(user=self.request.user)

    def perform_create(self, serializer):
        try:
            serializer.instance = services.batch_create(by=self.request.user, **serializer.validated_data)
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        except DjangoValidationError as error:
            raise ValidationError(_django_errors(error)) from error

    @extend_schema(responses=ApplicationSerializer(many=True))
    @action(detail=True, methods=["get"])
    def applications(self, request, pk=None):
        batch = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(
            ApplicationSerializer(selectors.application_list(user=request.user, batch=batch), many=True).data
        )


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ApplicationSerializer

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)


def _number(value):
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


class FiguresView(APIView):
    """The programme's figures: success rates per batch, county, department and theme; quota won;
    issuance and spending progress; lagging projects (for the weekly bulletin and the ranking)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        from django.utils import timezone

        year_text = request.query_params.get("year", "")
        year = int(year_text) if year_text.isdigit() else timezone.localdate().year
        user = request.user

        def clean(rows):
            return [{k: _number(v) for k, v in row.items()} for row in rows]

        spending = selectors.spending_progress(user=user)
        return Response(
            {
                "year": year,
                "success_rates": {
                    by: clean(selectors.success_rates(user=user, by=by))
                    for by in ("batch", "county", "supervising_department", "theme")
                },
                "quota": {k: _number(v) for k, v in selectors.quota_won(user=user, year=year).items()},
                "totals": {k: _number(v) for k, v in selectors.programme_totals(user=user).items()},
                "spending": {k: _number(v) for k, v in spending.items()},
                "lagging": [
                    {"id": p.pk, "name": p.name, "spending_progress": _number(p.spending_progress)}
                    for p in selectors.lagging_projects(user=user)
                ],
            }
        )
