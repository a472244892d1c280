"""Sending notifications (inbox rows and emails) and changing their read state and email preferences.

Other apps call `notify(...)` after a transition, with `recipients_for_unit(unit)` or
`recipients_for_office()` for the usual audiences.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duban.accounts.models import User
from duban.core.errors import Invalid, NotPermitted

from .models import (
    EMAIL_BY_DEFAULT,
    Delivery,
    DeliveryPreference,
    EmailPreference,
    Notification,
    NotificationKind,
)
from .selectors import digest_readers, recipients_for_office, recipients_for_unit

__all__ = [
    "delivery_save",
    "email_preferences_save",
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


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    sender: User | None = None,
    informational: bool = False,
) -> int:
    """Put one notification in each recipient's inbox and email those who want this kind.

    `informational`: the notice tells the recipient what happened without asking anything of him (a
    directive assigned in a leader's portfolio, progress reported); those who read such notices once a
    day (`Delivery.DIGEST`) find it in that day's summary (`send_digests`) instead of at once. A notice
    that needs the recipient is never informational.

    Recipients are deduplicated; inactive users and the sender are skipped. Database work does not
    grow with the number of recipients: one bulk insert (split only by the database's parameter
    limit, about a hundred rows a statement on old SQLite), one read of email preferences, and for
    an informational notice one read of delivery preferences. Emails go out after the surrounding
    transaction commits (so a rolled-back transition sends nothing) and a failing mail server is
    logged, never raised. Returns the number of notifications created (held ones included).
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"notify(): unknown kind {kind!r}")
    _check_url(url)
    users = _distinct_active(recipients, sender)
    if not users:
        return 0
    title = _shorten(title)
    now = timezone.now()
    held = digest_readers(users) if informational else set()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                url=url,
                sender=sender,
                created_at=now,
                held=user.pk in held,
            )
            for user in users
        ]
    )
    _mail([user for user in users if user.pk not in held], kind=kind, title=title, body=body, url=url)
    return len(users)


def _mail(users: list[User], *, kind: str, title: str, body: str, url: str) -> None:
    """Email those of these users who want this kind, after the surrounding transaction commits."""
    with_email = [user for user in users if user.email]
    if not with_email:
        return
    chosen = dict(
        EmailPreference.objects.filter(user__in=[u.pk for u in with_email], kind=kind).values_list(
            "user_id", "email"
        )
    )
    default = kind in EMAIL_BY_DEFAULT
    addresses = [user.email for user in with_email if chosen.get(user.pk, default)]
    if addresses:
        messages = _emails(addresses=addresses, kind=kind, title=title, body=body, url=url)
        transaction.on_commit(lambda: _send(messages), robust=True)


def _emails(*, addresses: list[str], kind: str, title: str, body: str, url: str) -> list[EmailMessage]:
    # Recipients have no language of their own: mail is written in the platform's language, not in
    # that of whoever triggered it.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("【%(city)s督办平台】%(title)s") % {"city": settings.DUBAN_CITY_NAME, "title": title}
        parts = [body.strip()] if body.strip() else []
        if url:
            site = getattr(settings, "DUBAN_SITE_URL", "").rstrip("/")
            link = f"{site}{url}" if url.startswith("/") and site else url
            parts.append(_("查看详情：%(link)s") % {"link": link})
        parts.append(
            _("此邮件由督办平台自动发送（%(kind)s）。如不需要此类邮件，请登录平台在“通知设置”中关闭。")
            % {"kind": NotificationKind(kind).label}
        )
        text = "\n\n".join(parts)
    # One message per address: recipients do not see each other.
    return [EmailMessage(subject=subject, body=text, to=[address]) for address in addresses]


def _send(messages: list[EmailMessage]) -> None:
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception:
        logger.exception(
            "Could not open the email connection; %d notification emails not sent", len(messages)
        )
        return
    try:
        for message in messages:
            try:
                connection.send_messages([message])
            except Exception:
                logger.exception("Notification email to %s not sent", ", ".join(message.to))
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("Closing the email connection failed")


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


def delivery_save(*, user, informational: str) -> DeliveryPreference:
    """Record the signed-in user's own choice of when informational notices reach him."""
    if not (user and user.is_authenticated):
        raise NotPermitted
    if informational not in Delivery.values:
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
    site = getattr(settings, "DUBAN_SITE_URL", "").rstrip("/")
    lines = []
    for number, entry in enumerate(entries[:DIGEST_LINES], start=1):
        link = f"{site}{entry.url}" if entry.url.startswith("/") and site else entry.url
        lines.append(f"{number}. {entry.title}" + (f"  {link}" if link else ""))
    if len(entries) > DIGEST_LINES:
        lines.append(_("……另有 %(n)d 条，请在平台查看。") % {"n": len(entries) - DIGEST_LINES})
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
        _mail([user], kind=NotificationKind.DIGEST, title=summary.title, body=body, url=summary.url)
    return summary


def send_digests_job() -> int:
    """The django-q2 schedule's entry point (every quarter of an hour; see the migration)."""
    from duban.audit.context import audit_context
    from duban.audit.models import Channel

    with audit_context(channel=Channel.SYSTEM):
        return send_digests()
