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
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duban.accounts.models import User
from duban.core.errors import Invalid, NotPermitted

from .models import EMAIL_BY_DEFAULT, EmailPreference, Notification, NotificationKind
from .selectors import recipients_for_office, recipients_for_unit

__all__ = [
    "email_preferences_save",
    "notification_mark_all_read",
    "notification_mark_read",
    "notify",
    "recipients_for_office",
    "recipients_for_unit",
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
) -> int:
    """Put one notification in each recipient's inbox and email those who want this kind.

    Recipients are deduplicated; inactive users and the sender are skipped. Database work does not
    grow with the number of recipients: one bulk insert (split only by the database's parameter
    limit, about a hundred rows a statement on old SQLite) and one read of preferences. Emails go out
    after the surrounding transaction commits (so a rolled-back transition sends nothing) and a
    failing mail server is logged, never raised. Returns the number of inbox rows created.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"notify(): unknown kind {kind!r}")
    _check_url(url)
    users = _distinct_active(recipients, sender)
    if not users:
        return 0
    title = _shorten(title)
    now = timezone.now()
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
            )
            for user in users
        ]
    )
    with_email = [user for user in users if user.email]
    if with_email:
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
    return len(users)


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
        # one entry per click.
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
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
