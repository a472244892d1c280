from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .. import selectors


class WorkingDaysQuery(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=-3660, max_value=3660, required=False)
    end = serializers.DateField(required=False)


@extend_schema(
    parameters=[
        OpenApiParameter("start", date, required=True),
        OpenApiParameter("days", int),
        OpenApiParameter("end", date),
    ],
    responses={200: dict},
)
@api_view(["GET"])
def working_days(request):
    """Working-day arithmetic: `start`+`days` gives the date; `start`..`end` gives the count."""
    query = WorkingDaysQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    start = query.validated_data["start"]
    result = {
        "start": start,
        "is_working_day": selectors.is_working_day(start),
        "last_working_day_of_week": selectors.last_working_day_of_week(start),
    }
    if "days" in query.validated_data:
        result["date"] = selectors.add_working_days(start, query.validated_data["days"])
    if "end" in query.validated_data:
        result["working_days_between"] = selectors.working_days_between(start, query.validated_data["end"])
    return Response(result)
