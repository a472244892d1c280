"""Reading the audit trail: the office browses all of it; others see the history of what they may see."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from duban.accounts.scope import is_office

from .models import AuditEntry


def audit_entry_list(*, user, filters: dict | None = None) -> QuerySet[AuditEntry]:
    if not is_office(user):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("actor", "content_type")
    filters = filters or {}
    if content_type := filters.get("content_type"):
        entries = entries.filter(content_type=content_type)
    if (action := filters.get("action")) not in (None, ""):
        entries = entries.filter(action=action)
    if channel := filters.get("channel"):
        entries = entries.filter(channel=channel)
    if actor := (filters.get("actor") or "").strip():
        entries = entries.filter(actor__username=actor)
    if since := filters.get("since"):
        entries = entries.filter(timestamp__date__gte=since)
    if until := filters.get("until"):
        entries = entries.filter(timestamp__date__lte=until)
    if object_pk := filters.get("object_pk"):
        entries = entries.filter(object_pk=str(object_pk))
    return entries


def object_history(*, obj) -> QuerySet[AuditEntry]:
    """Every entry about one object; the caller found the object through `registry.readable`."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return AuditEntry.objects.filter(content_type=content_type, object_pk=str(obj.pk)).select_related("actor")
