from rest_framework import viewsets

from duban.core.api.views import SelectorViewSetMixin

from .. import selectors
from ..filters import AuditEntryFilterSet
from .serializers import AuditEntrySerializer


class AuditEntryViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The audit trail, for the supervision office; read-only through every route."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    select = selectors.audit_entry_list
