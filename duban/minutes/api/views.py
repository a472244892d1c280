"""The minutes import API (office only): extraction, drafts, confirmation — the services of the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from duban.accounts.scope import is_office

from .. import selectors, services
from ..forms import RowForm
from .serializers import (
    ConfirmSerializer,
    DraftListSerializer,
    DraftSerializer,
    DraftUpdateSerializer,
    SourceSerializer,
)


class IsOffice(permissions.IsAuthenticated):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and is_office(request.user)


def _invalid(error: DjangoValidationError) -> ValidationError:
    detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    return ValidationError(detail)


def _source(request) -> dict:
    serializer = SourceSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    upload = data.get("file")
    if upload is not None:
        try:
            data["text"] = services.read_upload(upload)
        except DjangoValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        data["source_name"] = upload.name
    return data


class ExtractView(APIView):
    """Extract without saving: the JSON of `duban minutes extract --json`, units and leaders with their ids."""

    permission_classes = [IsOffice]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = SourceSerializer

    @extend_schema(request=SourceSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        data = _source(request)
        try:
            result = services.extract(text=data["text"], meeting_date=data.get("meeting_date"))
        except DjangoValidationError as error:
            raise _invalid(error) from error
        return Response(result.to_dict())


def _clean_rows(draft, rows: list[dict]) -> list[dict]:
    """Each row checked with the page's form, over what the draft already holds for its key."""
    known = {row["key"]: row for row in draft.rows}
    cleaned, errors = [], {}
    for number, given in enumerate(rows, start=1):
        given = dict(given)
        if str(given.get("key", "")).isdigit():
            given["key"] = int(given["key"])
        base = RowForm.initial_from(known.get(given.get("key"), {}))
        form = RowForm(data={**{k: v for k, v in base.items() if v is not None}, **given})
        if form.is_valid():
            cleaned.append({"key": given.get("key"), **form.cleaned_data})
        else:
            errors[str(number)] = form.errors.get_json_data()
    if errors:
        raise ValidationError({"rows": errors})
    return cleaned


class DraftViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsOffice]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.draft_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return DraftListSerializer
        if self.action == "partial_update":
            return DraftUpdateSerializer
        if self.action == "create":
            return SourceSerializer
        if self.action == "confirm":
            return ConfirmSerializer
        if self.action in ("merge", "split", "drop"):
            return DraftSerializer
        return DraftSerializer

    @extend_schema(request=SourceSerializer, responses={201: DraftSerializer})
    def create(self, request, *args, **kwargs):
        data = _source(request)
        try:
            draft = services.draft_create(
                by=request.user,
                text=data["text"],
                meeting_date=data.get("meeting_date"),
                source_name=data.get("source_name", ""),
                title=data.get("title", ""),
            )
        except DjangoValidationError as error:
            raise _invalid(error) from error
        return Response(DraftSerializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DraftUpdateSerializer, responses=DraftSerializer)
    def partial_update(self, request, *args, **kwargs):
        draft = self.get_object()
        serializer = DraftUpdateSerializer(draft, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        rows = fields.pop("rows", None)
        try:
            if fields:
                draft = services.draft_update(draft=draft, by=request.user, **fields)
            if rows is not None:
                draft = services.draft_rows_replace(
                    draft=draft, by=request.user, rows=_clean_rows(draft, rows)
                )
        except DjangoValidationError as error:
            raise _invalid(error) from error
        return Response(DraftSerializer(draft).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def _row_action(self, change) -> Response:
        draft = self.get_object()
        try:
            draft = change(draft)
        except DjangoValidationError as error:
            raise _invalid(error) from error
        return Response(DraftSerializer(draft).data)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=DraftSerializer)
    @action(detail=True, methods=["post"], url_path=r"rows/(?P<key>\d+)/merge")
    def merge(self, request, pk=None, key=None):
        """Merge row `key` with the row after it."""
        return self._row_action(lambda d: services.draft_rows_merge(draft=d, by=request.user, key=int(key)))

    @extend_schema(request=OpenApiTypes.OBJECT, responses=DraftSerializer)
    @action(detail=True, methods=["post"], url_path=r"rows/(?P<key>\d+)/split")
    def split(self, request, pk=None, key=None):
        """Split row `key` at `position` (a character offset into its text)."""
        try:
            position = int(request.data.get("position"))
        except (TypeError, ValueError) as error:
            raise ValidationError({"position": [_("请给出拆分位置（事项文字中的字符序号）。")]}) from error
        return self._row_action(
            lambda d: services.draft_row_split(draft=d, by=request.user, key=int(key), position=position)
        )

    @extend_schema(request=OpenApiTypes.OBJECT, responses=DraftSerializer)
    @action(detail=True, methods=["post"], url_path=r"rows/(?P<key>\d+)/drop")
    def drop(self, request, pk=None, key=None):
        return self._row_action(lambda d: services.draft_row_drop(draft=d, by=request.user, key=int(key)))

    @extend_schema(request=ConfirmSerializer, responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        draft = self.get_object()
        serializer = ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            meeting = services.draft_confirm(
                draft=draft, by=request.user, assign=serializer.validated_data["assign"]
            )
        except services.ConfirmRejected as rejected:
            return Response(
                {
                    "detail": _("未创建任何会议或督办事项。"),
                    "errors": [{"row": row, "message": message} for row, message in rejected.errors],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "meeting": meeting.pk,
                "directives": list(meeting.directives.order_by("pk").values_list("pk", flat=True)),
            },
            status=status.HTTP_201_CREATED,
        )
