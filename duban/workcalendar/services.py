"""Changing the working calendar's overrides (the office only)."""

from django.core.exceptions import PermissionDenied

from duban.accounts.scope import is_office

from .models import CalendarOverride


def calendar_override_save(*, by, override: CalendarOverride) -> CalendarOverride:
    if not is_office(by):
        raise PermissionDenied
    override.full_clean()
    override.save()
    return override


def calendar_override_delete(*, by, override: CalendarOverride) -> None:
    if not is_office(by):
        raise PermissionDenied
    override.delete()
