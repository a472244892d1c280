"""Reading the audit trail: the office browses all of it; others see the history of what they may see."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from duban.core.filters import filtered
from duban.core.rules import require

from .filters import AuditEntryFilterSet
from .models import AuditEntry
from .rules import may_browse_audit_trail


def audit_entry_list(*, user, filters=None) -> QuerySet[AuditEntry]:
    """The whole trail (the office only), narrowed by the audit list's filters (a dict or QueryDict)."""
    require(may_browse_audit_trail, user)
    entries = AuditEntry.objects.select_related("actor", "content_type")
    return filtered(AuditEntryFilterSet, entries, filters, user=user)


def object_history(*, obj) -> QuerySet[AuditEntry]:
    """Every entry about one object; the caller found the object through `registry.readable`."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return AuditEntry.objects.filter(content_type=content_type, object_pk=str(obj.pk)).select_related("actor")
