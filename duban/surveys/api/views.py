"""Surveys' REST API (issue 18, item 7): the rounds the caller may see, a round with its fields, the
responses (a liaison reads and writes his unit's only), and the summary of the filed responses.
The same selectors and services as the pages; views catch nothing."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from duban.core.api.views import SelectorViewSetMixin, payload
from duban.core.errors import NotFound

from .. import selectors, services
from ..filters import RoundFilterSet
from ..models import ResponseState
from .serializers import (
    ResponseInputSerializer,
    ResponseSerializer,
    RoundDetailSerializer,
    RoundSerializer,
    SummarySerializer,
)


class SurveyViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Query parameters (RoundFilterSet): q, state."""

    serializer_class = RoundSerializer
    filterset_class = RoundFilterSet
    select = selectors.round_list

    def get_serializer_class(self):
        return RoundDetailSerializer if self.action == "retrieve" else RoundSerializer

    @extend_schema(
        responses=ResponseSerializer(many=True),
        parameters=[
            OpenApiParameter("q", str, description="单位名称"),
            OpenApiParameter("state", str, enum=ResponseState.values),
        ],
    )
    @action(detail=True, methods=["get"], url_path="responses", filterset_class=None)
    def responses(self, request, pk=None):
        """The round's responses the caller may see (a liaison: his unit's and those it rolls up).
        Query parameters (ResponseFilterSet): q, state."""
        survey_round = self.get_object()
        rows = selectors.round_responses(
            user=request.user, survey_round=survey_round, filters=request.query_params
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ResponseSerializer(page, many=True).data)

    @extend_schema(request=ResponseInputSerializer, responses=ResponseSerializer)
    @responses.mapping.post
    def respond(self, request, pk=None):
        """The caller's unit fills (or, with `submit`, submits) its response; a bad value answers 400
        with `{"answers": {field: [message]}}` and saves nothing."""
        survey_round = self.get_object()
        data = payload(ResponseInputSerializer, request)
        own = selectors.round_responses(user=request.user, survey_round=survey_round).filter(
            unit_id=request.user.unit_id
        )
        response = own.first()
        if response is None:
            raise NotFound()
        response = services.response_save(
            response=response, by=request.user, answers=data["answers"], submit=data["submit"]
        )
        return Response(ResponseSerializer(response).data, status=status.HTTP_200_OK)

    @extend_schema(responses=SummarySerializer)
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def summary(self, request, pk=None):
        """Totals over the submitted, returned and approved responses the caller may see (a township
        is counted in its county's filed total, not twice)."""
        survey_round = self.get_object()
        counted = selectors.counted_responses(user=request.user, survey_round=survey_round)
        body = {
            "responses": counted.count(),
            "totals": selectors.totals(user=request.user, survey_round=survey_round),
        }
        return Response(SummarySerializer(body).data)
