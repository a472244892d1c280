"""Reading the audit trail: the office browses all of it; others see the history of what they may see."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from duban.core.filters import filtered
from duban.core.rules import require

from .filters import AuditEntryFilterSet, SecurityEventFilterSet
from .models import AuditEntry, SecurityEvent
from .rules import may_browse_audit_trail, may_read_security_log


def audit_entry_list(*, user, filters=None) -> QuerySet[AuditEntry]:
    """The whole trail (the office only), narrowed by the audit list's filters (a dict or QueryDict)."""
    require(may_browse_audit_trail, user)
    entries = AuditEntry.objects.select_related("actor", "content_type")
    return filtered(AuditEntryFilterSet, entries, filters, user=user)


def object_history(*, obj) -> QuerySet[AuditEntry]:
    """Every entry about one object; the caller found the object through `registry.readable`."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return AuditEntry.objects.filter(content_type=content_type, object_pk=str(obj.pk)).select_related("actor")


def security_event_list(*, user, filters=None) -> QuerySet[SecurityEvent]:
    """The security log (the auditor only), narrowed by its filters."""
    require(may_read_security_log, user)
    return filtered(SecurityEventFilterSet, SecurityEvent.objects.all(), filters, user=user)


def security_log_purge_cutoff():
    """Entries at or after this moment are within the retention period and may not be purged."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    days = max(183, int(settings.DUBAN_SECURITY_LOG_RETENTION_DAYS))
    return timezone.now() - timedelta(days=days)
