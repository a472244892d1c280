from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .. import selectors

# The dates the calculator answers for, and the longest span it counts (ten years, as `days`).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
LONGEST_SPAN = 3660


def _in_range(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise serializers.ValidationError(
            _("日期应在 %(first)s 至 %(last)s 之间。") % {"first": FIRST_DAY, "last": LAST_DAY}
        )
    return day


class WorkingDaysQuery(serializers.Serializer):
    start = serializers.DateField(validators=[_in_range])
    days = serializers.IntegerField(min_value=-LONGEST_SPAN, max_value=LONGEST_SPAN, required=False)
    end = serializers.DateField(required=False, validators=[_in_range])

    def validate(self, attrs):
        if "end" in attrs and abs((attrs["end"] - attrs["start"]).days) > LONGEST_SPAN:
            raise serializers.ValidationError(
                {"end": [_("起止日期相隔不能超过 %(days)d 天。") % {"days": LONGEST_SPAN}]}
            )
        return attrs


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
