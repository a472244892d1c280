"""Reading notifications and email preferences. Private to their owner: every function here filters on
the user itself, for the office as for everyone else (see PRIVATE_TO_USER in models.py)."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.db.models.lookups import IsNull

from duban.accounts.models import User
from duban.accounts.roles import Role

from .models import EMAIL_BY_DEFAULT, EmailPreference, Notification, NotificationKind


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def notification_list(*, user, filters: dict | None = None) -> QuerySet[Notification]:
    """The user's own notifications, unread first, newest first within each group."""
    if not _signed_in(user):
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient=user).select_related("sender")
    filters = filters or {}
    if filters.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    if kind := filters.get("kind"):
        notifications = notifications.filter(kind=kind)
    return notifications.order_by(IsNull(F("read_at"), True).desc(), "-created_at", "-pk")


def unread_count(*, user) -> int:
    if not _signed_in(user):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_preferences(*, user) -> dict[str, bool]:
    """Whether the user receives each kind by email: their own choice, else the default."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, kind in EMAIL_BY_DEFAULT) for kind in NotificationKind.values}


def recipients_for_unit(unit) -> QuerySet[User]:
    """The people who receive a unit's notifications: its active liaisons (not those of sub-units)."""
    return User.objects.filter(unit=unit, role=Role.LIAISON, is_active=True)


def recipients_for_office() -> QuerySet[User]:
    """The supervision office's active staff (not the system administrators)."""
    return User.objects.filter(role=Role.OFFICE, is_active=True)
