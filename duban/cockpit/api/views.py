"""The cockpit's API: the cards (each with the API list whose `count` equals its own) and the red list,
for the office and the leaders (`rules.may_open_cockpit`)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from duban.core.api.permissions import allowed_by

from .. import rules, selectors
from .serializers import CockpitSerializer


class CockpitView(APIView):
    permission_classes = [allowed_by(rules.may_open_cockpit)]

    @extend_schema(responses=CockpitSerializer, operation_id="cockpit_retrieve")
    def get(self, request):
        """The user's cockpit: the cards of every capability, in the user's scope, and the red list."""
        data = {
            "as_of": timezone.localdate(),
            "cards": selectors.cockpit_cards(user=request.user),
            "red_list": selectors.red_list(user=request.user),
        }
        return Response(CockpitSerializer(data).data)
