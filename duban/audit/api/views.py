from rest_framework import viewsets

from .. import selectors
from ..filters import AuditEntryFilterSet
from .serializers import AuditEntrySerializer


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, for the supervision office; read-only through every route."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet

    def get_queryset(self):
        return selectors.audit_entry_list(user=self.request.user)
