"""The incentive API: the catalogue and the campaigns, read through the same selectors and FilterSets
as the pages (a liaison reads his unit's campaigns; the office and the leaders all)."""

from __future__ import annotations

from rest_framework import viewsets

from duban.core.api import ScopedObjectPermission
from duban.core.api.views import SelectorViewSetMixin

from .. import selectors
from ..filters import CampaignFilterSet, MeasureFilterSet
from .serializers import CampaignSerializer, MeasureSerializer


class MeasureViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The measures of the published lists, with their sources."""

    serializer_class = MeasureSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_class = MeasureFilterSet
    select = selectors.measure_list


class CampaignViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The city's campaigns, each with its criteria (live ones read now) and outcome."""

    serializer_class = CampaignSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_class = CampaignFilterSet
    select = selectors.campaign_list_with_criteria
