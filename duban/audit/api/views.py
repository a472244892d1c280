from rest_framework import viewsets

from .. import selectors
from .serializers import AuditEntrySerializer


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, for the supervision office; read-only through every route."""

    serializer_class = AuditEntrySerializer

    def get_queryset(self):
        return selectors.audit_entry_list(
            user=self.request.user,
            filters={
                k: self.request.query_params.get(k) for k in ("channel", "action", "actor", "object_pk")
            },
        )
