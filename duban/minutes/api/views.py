"""The minutes import API (the office's): extraction, drafts, confirmation — the services of the pages.

Views catch nothing: the services' refusals (an edit from an older version, a confirmation refused row
by row with `rows`) are answered by the API's exception handler."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from duban.core.api import allowed_by
from duban.core.api.views import payload

from .. import rules, selectors, services
from .serializers import (
    ChangeSerializer,
    ConfirmSerializer,
    DraftListSerializer,
    DraftSerializer,
    DraftUpdateSerializer,
    SourceSerializer,
    SplitSerializer,
)

PARSERS = [JSONParser, MultiPartParser, FormParser]


MayImportMinutes = allowed_by(rules.may_import_minutes)


class ExtractView(APIView):
    """Extract without saving: the JSON of `duban minutes extract --json`, units and leaders with their ids."""

    permission_classes = [MayImportMinutes]
    parser_classes = PARSERS
    serializer_class = SourceSerializer

    @extend_schema(request=SourceSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        source = payload(SourceSerializer, request)
        result = services.extract(text=source["text"], meeting_date=source.get("meeting_date"))
        return Response(result.to_dict())


class DraftViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Drafts; a long text is extracted in the background (`state` "extracting", `progress` in %);
    DELETE removes an import that was not confirmed."""

    permission_classes = [MayImportMinutes]
    parser_classes = PARSERS
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    serializers = {
        "list": DraftListSerializer,
        "create": SourceSerializer,
        "partial_update": DraftUpdateSerializer,
        "merge": ChangeSerializer,
        "drop": ChangeSerializer,
        "split": SplitSerializer,
        "confirm": ConfirmSerializer,
    }

    def get_queryset(self):
        if self.action == "list":
            return selectors.draft_summaries(user=self.request.user)
        return selectors.draft_list(user=self.request.user)

    def get_serializer_class(self):
        return self.serializers.get(self.action, DraftSerializer)

    @extend_schema(request=SourceSerializer, responses={201: DraftSerializer})
    def create(self, request, *args, **kwargs):
        source = payload(SourceSerializer, request)
        draft = services.draft_create(
            by=request.user,
            text=source["text"],
            meeting_date=source.get("meeting_date"),
            source_name=source["source_name"],
            title=source.get("title", ""),
        )
        return Response(DraftSerializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DraftUpdateSerializer, responses=DraftSerializer)
    def partial_update(self, request, *args, **kwargs):
        draft = self.get_object()
        changes = payload(DraftUpdateSerializer, request, instance=draft, partial=True)
        draft = services.draft_patch(draft=draft, by=request.user, **changes)
        return Response(DraftSerializer(draft).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.draft_delete(draft=instance, by=self.request.user)

    def _row_change(self, request, change, serializer_class=ChangeSerializer, **arguments) -> Response:
        draft = self.get_object()
        given = payload(serializer_class, request)
        draft = change(draft=draft, by=request.user, **arguments, **given)
        return Response(DraftSerializer(draft).data)

    @extend_schema(request=ChangeSerializer, responses=DraftSerializer)
    @action(detail=True, methods=["post"], url_path=r"rows/(?P<key>\d+)/merge")
    def merge(self, request, pk=None, key=None):
        """Merge row `key` with the row after it."""
        return self._row_change(request, services.draft_rows_merge, key=int(key))

    @extend_schema(request=SplitSerializer, responses=DraftSerializer)
    @action(detail=True, methods=["post"], url_path=r"rows/(?P<key>\d+)/split")
    def split(self, request, pk=None, key=None):
        """Split row `key` at `position` (a character offset into its text)."""
        return self._row_change(request, services.draft_row_split, SplitSerializer, key=int(key))

    @extend_schema(request=ChangeSerializer, responses=DraftSerializer)
    @action(detail=True, methods=["post"], url_path=r"rows/(?P<key>\d+)/drop")
    def drop(self, request, pk=None, key=None):
        return self._row_change(request, services.draft_row_drop, key=int(key))

    @extend_schema(request=ConfirmSerializer, responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Create the meeting and its directives; 400 `confirm_rejected` with `rows` names every bad row."""
        draft = self.get_object()
        meeting = services.draft_confirm(draft=draft, by=request.user, **payload(ConfirmSerializer, request))
        return Response(
            {
                "meeting": meeting.pk,
                "directives": list(meeting.directives.order_by("pk").values_list("pk", flat=True)),
            },
            status=status.HTTP_201_CREATED,
        )
