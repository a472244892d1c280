"""Sending notifications (inbox rows, then deliveries through the channels) and changing their read
state and the users' choices.

Other apps call `notify(...)` after a transition, with `recipients_for_unit(unit)` or
`recipients_for_office()` for the usual audiences.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.core.errors import Invalid, NotPermitted

from ..models import (
    EMAIL_BY_DEFAULT,
    URGENT_KINDS,
    Cadence,
    Channel,
    ChannelPreference,
    DeliveryPreference,
    EmailPreference,
    Notification,
    NotificationKind,
)
from ..selectors import digest_readers, recipients_for_office, recipients_for_unit
from .deliveries import plan_deliveries

__all__ = [
    "channel_preferences_save",
    "delivery_save",
    "email_preferences_save",
    "kind_cadences_save",
    "notification_mark_all_read",
    "notification_mark_read",
    "notify",
    "recipients_for_office",
    "recipients_for_unit",
    "send_digests",
    "send_digests_job",
]

logger = logging.getLogger(__name__)

TITLE_MAX_LENGTH = Notification._meta.get_field("title").max_length
URL_MAX_LENGTH = Notification._meta.get_field("url").max_length


def _check_url(url: str) -> None:
    # Stored links are rendered as hrefs: a path on this site or an http(s) address, nothing else.
    if not url:
        return
    is_path = url.startswith("/") and not url.startswith("//")
    if not (is_path or url.startswith(("https://", "http://"))) or len(url) > URL_MAX_LENGTH:
        raise ValueError(f"notify(): url must be a path or an http(s) address, got {url!r}")


def _shorten(title: str) -> str:
    # A directive's title can be long; the notification keeps its beginning rather than fail the
    # transition that sends it.
    title = " ".join(title.split())
    return title if len(title) <= TITLE_MAX_LENGTH else title[: TITLE_MAX_LENGTH - 1] + "…"


def _distinct_active(recipients: Iterable[User], sender: User | None) -> list[User]:
    seen: set[int] = set()
    users = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        # The person who acted is not told about their own action.
        if sender is not None and user.pk == sender.pk:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def is_urgent(kind: str, sender: User | None) -> bool:
    """A red light (overdue) and a leader's 批示 (his comment) go at once, whatever the hour."""
    if kind in URGENT_KINDS:
        return True
    return kind == NotificationKind.COMMENT and sender is not None and sender.role == Role.LEADER


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    sender: User | None = None,
    informational: bool = False,
    urgent: bool | None = None,
) -> int:
    """Put one notification in each recipient's inbox and deliver it through the channels each wants.

    Each recipient's choice for the kind (`EmailPreference.cadence`) says when it reaches him beyond
    the inbox: at once, in the daily summary (`send_digests`), or not at all (the inbox keeps it).
    Without a choice, an `informational` notice (it tells the recipient what happened without asking
    anything of him: a directive assigned in a leader's portfolio, progress reported) follows his
    `DeliveryPreference` (leaders: the digest), any other at once. An `urgent` notice (default: a red
    light, a leader's 批示, see `is_urgent`) is never held for the digest nor for quiet hours.

    Deliveries (e-mail, DingTalk, WeCom, SMS: `deliveries.plan_deliveries`) are recorded with the
    inbox rows and sent by the background worker after the surrounding transaction commits (a
    rolled-back transition sends nothing; a channel that is down fails nothing here).

    Recipients are deduplicated; inactive users and the sender are skipped. Database work does not
    grow with the number of recipients: one bulk insert of notifications (split only by the
    database's parameter limit), one read of the choices for the kind (and for an informational
    notice one of delivery preferences), and the deliveries' reads and insert. Returns the number of
    notifications created (held ones included).
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"notify(): unknown kind {kind!r}")
    _check_url(url)
    users = _distinct_active(recipients, sender)
    if not users:
        return 0
    title = _shorten(title)
    now = timezone.now()
    urgent = is_urgent(kind, sender) if urgent is None else urgent
    choices = {
        user_id: (email, cadence)
        for user_id, email, cadence in EmailPreference.objects.filter(
            user__in=[u.pk for u in users], kind=kind
        ).values_list("user_id", "email", "cadence")
    }
    readers = digest_readers(users) if informational else set()

    def cadence_of(user: User) -> str:
        chosen = choices.get(user.pk, (None, ""))[1]
        cadence = chosen or (Cadence.DIGEST if user.pk in readers else Cadence.IMMEDIATE)
        return Cadence.IMMEDIATE if urgent and cadence == Cadence.DIGEST else cadence

    cadences = {user.pk: cadence_of(user) for user in users}
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                url=url,
                sender=sender,
                created_at=now,
                held=cadences[user.pk] == Cadence.DIGEST,
            )
            for user in users
        ]
    )
    default_email = kind in EMAIL_BY_DEFAULT
    plan_deliveries(
        [
            (notification, user)
            for notification, user in zip(notifications, users, strict=True)
            if cadences[user.pk] == Cadence.IMMEDIATE
        ],
        email_wanted={u.pk for u in users if choices.get(u.pk, (default_email, ""))[0]},
        urgent=urgent,
    )
    return len(users)


def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one of the user's own notifications read (no-op when it already is)."""
    if not (user and user.is_authenticated) or notification.recipient_id != user.pk:
        raise NotPermitted
    if notification.read_at is None:
        # Read state is derived, not a business edit: a set-based update keeps the audit trail free of
        # one entry per click. A daily summary read is its notices read.
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        if notification.kind == NotificationKind.DIGEST:
            notification.entries.filter(read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notification_mark_all_read(*, user) -> int:
    """Mark all of the user's unread notifications read; returns how many changed."""
    if not (user and user.is_authenticated):
        raise NotPermitted
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def email_preferences_save(*, user, preferences: dict[str, bool]) -> None:
    """Record the signed-in user's own choice for each kind given (nobody edits another's choices)."""
    if not (user and user.is_authenticated):
        raise NotPermitted
    unknown = set(preferences) - set(NotificationKind.values)
    if unknown:
        raise Invalid(_("未知的通知类型：%(kinds)s") % {"kinds": "、".join(sorted(unknown))})
    with transaction.atomic():
        for kind, email in preferences.items():
            # One row per kind and a plain save, so the change is in the audit trail.
            EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": bool(email)})


def kind_cadences_save(*, user, cadences: dict[str, str]) -> None:
    """Record the signed-in user's own choice, per kind, of when its notices reach him beyond the inbox
    (`Cadence`; "" for the default). A kind without an e-mail choice yet keeps the e-mail default."""
    if not (user and user.is_authenticated):
        raise NotPermitted
    unknown = set(cadences) - set(NotificationKind.values)
    if unknown:
        raise Invalid(_("未知的通知类型：%(kinds)s") % {"kinds": "、".join(sorted(unknown))})
    if any(value and value not in Cadence.values for value in cadences.values()):
        raise Invalid(_("请选择通知方式。"))
    with transaction.atomic():
        for kind, cadence in cadences.items():
            preference = EmailPreference.objects.filter(user=user, kind=kind).first()
            if preference is None:
                preference = EmailPreference(user=user, kind=kind, email=kind in EMAIL_BY_DEFAULT)
            if preference.pk is None or preference.cadence != (cadence or ""):
                preference.cadence = cadence or ""
                preference.save()


def channel_preferences_save(*, user, channels: dict[str, bool]) -> None:
    """Record the signed-in user's own choice of the channels that reach him (the inbox always does)."""
    if not (user and user.is_authenticated):
        raise NotPermitted
    unknown = set(channels) - set(Channel.values)
    if unknown:
        raise Invalid(_("未知的通知渠道：%(channels)s") % {"channels": "、".join(sorted(unknown))})
    with transaction.atomic():
        for channel, enabled in channels.items():
            ChannelPreference.objects.update_or_create(
                user=user, channel=channel, defaults={"enabled": bool(enabled)}
            )


def delivery_save(*, user, informational: str) -> DeliveryPreference:
    """Record the signed-in user's own choice of when informational notices reach him."""
    if not (user and user.is_authenticated):
        raise NotPermitted
    if informational not in (Cadence.IMMEDIATE, Cadence.DIGEST):
        raise Invalid(fields={"informational": [_("请选择通知方式。")]})
    # A plain save, so the change is in the audit trail.
    preference, _created = DeliveryPreference.objects.update_or_create(
        user=user, defaults={"informational": informational}
    )
    return preference


# --- the daily digest --------------------------------------------------------------------------------

DIGEST_LINES = 50


def digest_time():
    """The local time of day after which the day's digest goes out (`DUBAN_DIGEST_TIME`, "08:30")."""
    from datetime import time

    text = str(getattr(settings, "DUBAN_DIGEST_TIME", "08:30"))
    try:
        hours, minutes = (int(part) for part in text.split(":", 1))
        return time(hours, minutes)
    except ValueError:
        logger.error("DUBAN_DIGEST_TIME %r is not HH:MM; the digest goes out at 08:30", text)
        return time(8, 30)


def _digest_body(entries: list[Notification]) -> str:
    """The summary's text: the notices grouped by kind (new assignments, lights turned red, reports
    due, replies, …) in the kinds' order, each with its title and link."""
    site = getattr(settings, "DUBAN_SITE_URL", "").rstrip("/")
    by_kind: dict[str, list[Notification]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry)
    lines: list[str] = []
    shown = 0
    for kind in NotificationKind.values:
        group = by_kind.get(kind, [])
        if not group or shown >= DIGEST_LINES:
            continue
        lines.append(f"【{NotificationKind(kind).label}】（{len(group)}）")
        for entry in group[: DIGEST_LINES - shown]:
            shown += 1
            link = f"{site}{entry.url}" if entry.url.startswith("/") and site else entry.url
            lines.append(f"{shown}. {entry.title}" + (f"  {link}" if link else ""))
    if len(entries) > shown:
        lines.append(_("……另有 %(n)d 条，请在平台查看。") % {"n": len(entries) - shown})
    return "\n".join(lines)


def send_digests(*, now=None) -> int:
    """Send each user whose informational notices are held one summary of them, with links: once a
    working day (Chinese working calendar), at or after `DUBAN_DIGEST_TIME` local time. Notices held
    over a weekend or a holiday go out on the next working day. Run as often as the schedule likes:
    a user gets at most one summary a day. Returns how many summaries were sent."""
    from duban.workcalendar.selectors import is_working_day

    now = now or timezone.now()
    local = timezone.localtime(now)
    if not is_working_day(local.date()) or local.time() < digest_time():
        return 0
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    sent_today = Notification.objects.filter(kind=NotificationKind.DIGEST, created_at__gte=day_start)
    waiting = (
        Notification.objects.filter(held=True, digest__isnull=True)
        .exclude(recipient_id__in=sent_today.values("recipient_id"))
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    by_user: dict[int, list[Notification]] = {}
    for entry in waiting:
        by_user.setdefault(entry.recipient_id, []).append(entry)
    sent = 0
    for found in by_user.values():
        with transaction.atomic():
            # Another worker may be at the same user: his notices are claimed under a lock, and what
            # it has taken already is not sent twice.
            entries = list(
                Notification.objects.select_for_update()
                .filter(pk__in=[e.pk for e in found], digest__isnull=True)
                .order_by("created_at", "pk")
            )
            if not entries or sent_today.filter(recipient_id=found[0].recipient_id).exists():
                continue
            _send_digest(found[0].recipient, entries, now=now)
        sent += 1
    return sent


def _send_digest(user: User, entries: list[Notification], *, now) -> Notification:
    title = _("每日督办动态：%(n)d 条（%(date)s）") % {
        "n": len(entries),
        "date": timezone.localtime(now).date(),
    }
    body = _digest_body(entries)
    summary = Notification.objects.create(
        recipient=user, kind=NotificationKind.DIGEST, title=_shorten(title), body=body, created_at=now
    )
    summary.url = f"{reverse('notifications:inbox')}?digest={summary.pk}"
    summary.save(update_fields=["url"])
    # Derived bookkeeping (which summary listed them): a set-based update, like the read state.
    Notification.objects.filter(pk__in=[e.pk for e in entries]).update(digest=summary)
    if user.is_active:
        # The summary goes at the time the office set for it, quiet hours or not.
        wanted = EmailPreference.objects.filter(user=user, kind=NotificationKind.DIGEST).first()
        email = wanted.email if wanted else NotificationKind.DIGEST in EMAIL_BY_DEFAULT
        plan_deliveries([(summary, user)], email_wanted={user.pk} if email else set(), urgent=True)
    return summary


def send_digests_job() -> int:
    """The django-q2 schedule's entry point (every quarter of an hour; see the migration)."""
    from duban.audit.context import audit_context
    from duban.audit.models import Channel

    with audit_context(channel=Channel.SYSTEM):
        return send_digests()
