"""Reading notifications and email preferences. Private to their owner: every function here filters on
the user itself, for the office as for everyone else (see PRIVATE_TO_USER in models.py)."""

from __future__ import annotations

from django.db.models import Count, F, QuerySet
from django.db.models.lookups import IsNull

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.accounts.selectors import unit_liaisons
from duban.core.filters import filtered

from .filters import DeliveryFilterSet, NotificationFilterSet
from .models import (
    CHANNELS_BY_DEFAULT,
    DIGEST_BY_DEFAULT_ROLES,
    EMAIL_BY_DEFAULT,
    Cadence,
    Channel,
    ChannelPreference,
    ChannelSwitch,
    Delivery,
    DeliveryPreference,
    DeliveryState,
    EmailPreference,
    Notification,
    NotificationKind,
    UnitRobot,
)
from .rules import may_manage_channels


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def notification_list(*, user, filters=None) -> QuerySet[Notification]:
    """The user's own notifications, unread first, newest first within each group; `filters` are the
    inbox's (a dict or QueryDict)."""
    if not _signed_in(user):
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient=user).select_related("sender")
    if not (filters and filters.get("digest")):
        # Notices held for the daily digest are read through their summary (`?digest=<id>`).
        notifications = notifications.filter(held=False)
    notifications = filtered(NotificationFilterSet, notifications, filters, user=user)
    return notifications.order_by(IsNull(F("read_at"), True).desc(), "-created_at", "-pk")


def digest_of(*, user, filters=None) -> Notification | None:
    """The user's own daily summary a list is narrowed to (`?digest=<id>`), or None."""
    pk = str((filters or {}).get("digest") or "")
    if not (pk.isdigit() and _signed_in(user)):
        return None
    return Notification.objects.filter(recipient=user, kind=NotificationKind.DIGEST, pk=int(pk)).first()


def unread_count(*, user) -> int:
    if not _signed_in(user):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True, held=False).count()


def email_preference_list(*, user) -> QuerySet[EmailPreference]:
    """The user's own explicit choices."""
    if not _signed_in(user):
        return EmailPreference.objects.none()
    return EmailPreference.objects.filter(user=user)


def email_preferences(*, user) -> dict[str, bool]:
    """Whether the user receives each kind by email: their own choice, else the default."""
    chosen = dict(email_preference_list(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, kind in EMAIL_BY_DEFAULT) for kind in NotificationKind.values}


def delivery_preference_list(*, user) -> QuerySet[DeliveryPreference]:
    """The user's own explicit choice of when informational notices reach him."""
    if not _signed_in(user):
        return DeliveryPreference.objects.none()
    return DeliveryPreference.objects.filter(user=user)


def default_delivery(user) -> str:
    return Cadence.DIGEST if user.role in DIGEST_BY_DEFAULT_ROLES else Cadence.IMMEDIATE


def delivery(*, user) -> str:
    """When informational notices reach the user: his own choice, else his role's default."""
    chosen = delivery_preference_list(user=user).values_list("informational", flat=True).first()
    return chosen or default_delivery(user)


def digest_readers(users) -> set[int]:
    """Which of these users read informational notices in the daily digest (one query)."""
    users = list(users)
    chosen = dict(
        DeliveryPreference.objects.filter(user__in=[u.pk for u in users]).values_list(
            "user_id", "informational"
        )
    )
    return {u.pk for u in users if chosen.get(u.pk, default_delivery(u)) == Cadence.DIGEST}


def kind_cadences(*, user) -> dict[str, str]:
    """The user's own choice per kind of when its notices reach him ("" where he has not chosen)."""
    chosen = dict(email_preference_list(user=user).values_list("kind", "cadence"))
    return {kind: chosen.get(kind, "") for kind in NotificationKind.values}


def channel_preference_list(*, user) -> QuerySet[ChannelPreference]:
    if not _signed_in(user):
        return ChannelPreference.objects.none()
    return ChannelPreference.objects.filter(user=user)


def channel_preferences(*, user) -> dict[str, bool]:
    """Whether the user receives each channel: his own choice, else the default."""
    chosen = dict(channel_preference_list(user=user).values_list("channel", "enabled"))
    return {channel: chosen.get(channel, channel in CHANNELS_BY_DEFAULT) for channel in Channel.values}


def channel_switches(*, user) -> dict[str, bool]:
    """Which channels the office has on (everyone may know; only the office changes them)."""
    switched = dict(ChannelSwitch.objects.values_list("channel", "enabled"))
    return {channel: switched.get(channel, True) for channel in Channel.values}


def _office(user) -> bool:
    return _signed_in(user) and may_manage_channels(user)


def channel_switch_list(*, user) -> QuerySet[ChannelSwitch]:
    return ChannelSwitch.objects.all() if _office(user) else ChannelSwitch.objects.none()


def robot_list(*, user, filters=None) -> QuerySet[UnitRobot]:
    """The units' group robots: the office's only (their addresses are credentials)."""
    if not _office(user):
        return UnitRobot.objects.none()
    return UnitRobot.objects.select_related("unit").order_by("unit__code", "channel", "pk")


def delivery_list(*, user, filters=None) -> QuerySet[Delivery]:
    """The deliveries (e-mail, robots, SMS): the office's only; `filters` are its list's (state,
    channel; failed by default on the page)."""
    if not _office(user):
        return Delivery.objects.none()
    rows = Delivery.objects.select_related("notification", "notification__recipient", "unit")
    return filtered(DeliveryFilterSet, rows, filters, user=user).order_by("-created_at", "-pk")


def delivery_counts(*, user) -> dict[str, int]:
    """How many deliveries are in each state (the office's page heading)."""
    if not _office(user):
        return {}

    found = dict(Delivery.objects.values_list("state").annotate(n=Count("pk")).order_by())
    return {state: found.get(state, 0) for state in DeliveryState.values}


def recipients_for_unit(unit) -> QuerySet[User]:
    """The people who receive a unit's notifications: its active liaisons (not those of sub-units)."""
    return unit_liaisons([unit.pk])


def recipients_for_office() -> QuerySet[User]:
    """The supervision office's active staff (not the system administrators)."""
    return User.objects.filter(role=Role.OFFICE, is_active=True)


# The history page (`audit:object_history`) reads these models through the selectors of their own pages:
# private to their owner, their history too, for the office as for everyone else.
HISTORY_READERS = {
    Notification: notification_list,
    EmailPreference: email_preference_list,
    DeliveryPreference: delivery_preference_list,
    ChannelPreference: channel_preference_list,
    ChannelSwitch: channel_switch_list,
    UnitRobot: robot_list,
    Delivery: delivery_list,
}
