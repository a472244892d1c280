"""Deliveries: a notice through e-mail, DingTalk, WeCom or SMS, recorded, sent by the background
worker after the transaction commits, retried with back-off, held outside working hours.

- `plan_deliveries(pairs, …)` (called by `notify`): one `Delivery` per person for e-mail and SMS, one per
  group for a robot (the unit's `UnitRobot`, else the platform's robot in the settings), for the
  channels the office has on (`ChannelSwitch`) and the user wants (`ChannelPreference`). Those due now
  are queued (`core.jobs.queue`: after commit); those outside working hours are `held` until the start
  of the next working day (the working calendar: a swapped Saturday works, a holiday does not), unless
  urgent.
- `deliver(ids)`: each due delivery is claimed (a conditional UPDATE, so two workers never send one
  twice), sent outside any transaction and lock, and recorded: sent; or failed with the reason and
  tried again after 1, 5, 15, 60 minutes; failed for good after `DUBAN_NOTIFY_MAX_ATTEMPTS` tries.
- `deliver_due_job` (django-q2 schedule, every minute): sends what is due (retries, held messages).
- `delivery_resend` (the office's page): one more try of failed deliveries.

Delivery rows are operational records, not business data: their state is written with set-based
updates (no audit entry per try); the office's resend is a plain save, so it is audited.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duban.accounts.rules import is_office_user
from duban.core.errors import Invalid, NotPermitted
from duban.core.jobs import queue

from .. import channels
from ..channels import Message, SendFailed
from ..models import (
    CHANNELS_BY_DEFAULT,
    ROBOT_CHANNELS,
    Channel,
    ChannelPreference,
    ChannelSwitch,
    Delivery,
    DeliveryState,
    Notification,
    NotificationKind,
    UnitRobot,
)

logger = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 15, 60)
# A claimed delivery is not picked again for this long (a worker that died mid-send is retried).
LEASE = timedelta(minutes=2)
DUE_STATES = (DeliveryState.PENDING, DeliveryState.HELD)


def _now() -> datetime:
    return timezone.now()


def _setting(name: str, default=""):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return max(1, int(_setting("DUBAN_NOTIFY_MAX_ATTEMPTS", 5)))


# --- quiet hours ------------------------------------------------------------------------------------


def _clock(name: str, default: str) -> time:
    text = str(_setting(name, default))
    try:
        hours, minutes = (int(part) for part in text.split(":", 1))
        return time(hours, minutes)
    except ValueError:
        logger.error("%s %r is not HH:MM; using %s", name, text, default)
        hours, minutes = (int(part) for part in default.split(":"))
        return time(hours, minutes)


def working_hours() -> tuple[time, time]:
    return _clock("DUBAN_WORK_START", "09:00"), _clock("DUBAN_WORK_END", "18:00")


def release_time(moment: datetime) -> datetime:
    """When a non-urgent message made at `moment` may go: at once within working hours of a working
    day (the working calendar), else at the start of the next working day's hours."""
    from duban.workcalendar.selectors import is_working_day

    if not _setting("DUBAN_QUIET_HOURS", True):
        return moment
    start, end = working_hours()
    local = timezone.localtime(moment)
    day = local.date()
    if is_working_day(day):
        if start <= local.time() < end:
            return moment
        if local.time() < start:
            return timezone.make_aware(datetime.combine(day, start))
    for _step in range(60):  # the longest run of days off is far shorter
        day += timedelta(days=1)
        if is_working_day(day):
            break
    return timezone.make_aware(datetime.combine(day, start))


# --- planning -----------------------------------------------------------------------------------------


def channels_on() -> set[str]:
    """The channels the office has not turned off (one query)."""
    switched = dict(ChannelSwitch.objects.values_list("channel", "enabled"))
    return {channel for channel in Channel.values if switched.get(channel, True)}


def _platform_robot(channel: str) -> str:
    return _setting("DUBAN_DINGTALK_WEBHOOK" if channel == Channel.DINGTALK else "DUBAN_WECOM_WEBHOOK")


def plan_deliveries(
    pairs: Iterable[tuple[Notification, object]],
    *,
    email_wanted: set[int],
    urgent: bool,
    only: str | None = None,
    background: bool = True,
) -> list[Delivery]:
    """Record the deliveries of these (notification, recipient) pairs and queue those due now.

    `email_wanted`: the recipients who want this kind by e-mail. `only`: this channel alone, whatever
    the recipient chose (the `duban notify test` command, which sends them itself: `background=False`). Queries do not grow with the recipients:
    the office's switches, the recipients' channel choices, their units' robots, one insert.
    """
    pairs = list(pairs)
    if not pairs:
        return []
    enabled = channels_on()
    if only:
        enabled &= {only}
    users = [user for _n, user in pairs]
    chosen = {
        (user_id, channel): on
        for user_id, channel, on in ChannelPreference.objects.filter(
            user__in=[u.pk for u in users]
        ).values_list("user_id", "channel", "enabled")
    }

    def wants(user, channel) -> bool:
        return only == channel or chosen.get((user.pk, channel), channel in CHANNELS_BY_DEFAULT)

    robots = {}
    if enabled & set(ROBOT_CHANNELS):
        unit_ids = {u.unit_id for u in users if u.unit_id}
        robots = {(r.unit_id, r.channel): r for r in UnitRobot.objects.filter(unit_id__in=unit_ids)}
    now = _now()
    due = now if urgent else release_time(now)
    state = DeliveryState.HELD if due > now else DeliveryState.PENDING
    rows: list[Delivery] = []
    posted: set[tuple] = set()

    def add(notification, channel, **fields):
        rows.append(
            Delivery(
                notification=notification,
                channel=channel,
                urgent=urgent,
                state=state,
                next_attempt_at=due,
                created_at=now,
                **fields,
            )
        )

    for notification, user in pairs:
        for channel, address in _personal(
            user, enabled, wants, email=only == Channel.EMAIL or user.pk in email_wanted
        ):
            add(notification, channel, address=address, unit_id=user.unit_id)
        for channel in ROBOT_CHANNELS:
            if channel not in enabled or not wants(user, channel):
                continue
            robot = robots.get((user.unit_id, channel))
            if robot is None and not _platform_robot(channel):
                continue
            # One post per group and message, however many of the group's people it is for.
            key = (channel, robot.pk if robot else None, notification.title, notification.url)
            if key not in posted:
                posted.add(key)
                add(notification, channel, robot=robot, unit_id=robot.unit_id if robot else user.unit_id)
    if not rows:
        return []
    Delivery.objects.bulk_create(rows)
    now_ids = [row.pk for row in rows if row.state == DeliveryState.PENDING]
    if now_ids and background:
        queue("duban.notifications.services.deliver_job", now_ids, name="notifications.deliver")
    return rows


def _personal(user, enabled: set[str], wants, *, email: bool) -> list[tuple[str, str]]:
    """The personal channels (e-mail, SMS) this user gets the message through, with his address."""
    found = []
    if Channel.EMAIL in enabled and email and user.email and wants(user, Channel.EMAIL):
        found.append((Channel.EMAIL, user.email))
    if Channel.SMS in enabled and user.phone and _setting("DUBAN_SMS_URL") and wants(user, Channel.SMS):
        found.append((Channel.SMS, user.phone))
    return found


# --- sending ------------------------------------------------------------------------------------------


def _message(notification: Notification) -> Message:
    site = _setting("DUBAN_SITE_URL").rstrip("/")
    url = notification.url
    link = f"{site}{url}" if url.startswith("/") and site else url
    with translation.override(settings.LANGUAGE_CODE):
        return Message(
            title=notification.title,
            body=notification.body,
            link=link,
            kind_label=str(NotificationKind(notification.kind).label),
        )


def _timeout() -> float:
    return float(_setting("DUBAN_NOTIFY_TIMEOUT", 5))


def _send_email(delivery: Delivery, message: Message) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("【%(city)s督办平台】%(title)s") % {
            "city": settings.DUBAN_CITY_NAME,
            "title": message.title,
        }
        parts = [message.body.strip()] if message.body.strip() else []
        if message.link:
            parts.append(_("查看详情：%(link)s") % {"link": message.link})
        parts.append(
            _("此邮件由督办平台自动发送（%(kind)s）。如不需要此类邮件，请登录平台在“通知设置”中关闭。")
            % {"kind": message.kind_label}
        )
    email = EmailMessage(subject=subject, body="\n\n".join(parts), to=[delivery.address])
    try:
        get_connection(fail_silently=False, timeout=_timeout()).send_messages([email])
    except Exception as error:  # any mail server failure is the delivery's, never the caller's
        raise SendFailed(f"{type(error).__name__}: {error}"[:200]) from error


def _send_robot(delivery: Delivery, message: Message) -> None:
    robot = delivery.robot
    if delivery.channel == Channel.DINGTALK:
        webhook = robot.webhook if robot else _setting("DUBAN_DINGTALK_WEBHOOK")
        secret = robot.secret if robot else _setting("DUBAN_DINGTALK_SECRET")
        if not webhook:
            raise SendFailed("no DingTalk robot configured")
        channels.require_http(webhook)
        url, payload = channels.dingtalk_url(webhook, secret), channels.dingtalk_payload(message)
    else:
        webhook = robot.webhook if robot else _setting("DUBAN_WECOM_WEBHOOK")
        if not webhook:
            raise SendFailed("no WeCom robot configured")
        channels.require_http(webhook)
        url, payload = webhook, channels.wecom_payload(message)
    channels.check_robot_answer(channels.post_json(url, payload, timeout=_timeout()))


def _send_sms(delivery: Delivery, message: Message) -> None:
    url = _setting("DUBAN_SMS_URL")
    if not url:
        raise SendFailed("DUBAN_SMS_URL is not set")
    channels.require_http(url)
    token = _setting("DUBAN_SMS_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    text = channels.sms_text(message, signature=_setting("DUBAN_SMS_SIGNATURE") or settings.DUBAN_CITY_NAME)
    channels.post_json(url, {"phone": delivery.address, "text": text}, timeout=_timeout(), headers=headers)


SENDERS = {
    Channel.EMAIL: _send_email,
    Channel.DINGTALK: _send_robot,
    Channel.WECOM: _send_robot,
    Channel.SMS: _send_sms,
}


def _attempt(delivery: Delivery, now: datetime) -> Delivery:
    claimed = Delivery.objects.filter(pk=delivery.pk, state__in=DUE_STATES, next_attempt_at__lte=now).update(
        state=DeliveryState.PENDING, next_attempt_at=now + LEASE
    )
    if not claimed:
        return delivery  # another worker has it, or it is not due
    attempts = delivery.attempts + 1
    try:
        SENDERS[delivery.channel](delivery, _message(delivery.notification))
    except SendFailed as error:
        reason = str(error) or type(error).__name__
    except Exception as error:  # a bug in a sender must not lose the others
        logger.exception("Delivery %s raised", delivery.pk)
        reason = f"{type(error).__name__}: {error}"[:200]
    else:
        changes = {"state": DeliveryState.SENT, "sent_at": _now(), "attempts": attempts, "last_error": ""}
        Delivery.objects.filter(pk=delivery.pk).update(**changes)
        return _refreshed(delivery, changes)
    logger.warning("Delivery %s (%s) not sent (try %d): %s", delivery.pk, delivery.channel, attempts, reason)
    if attempts >= max_attempts():
        changes = {"state": DeliveryState.FAILED, "attempts": attempts, "last_error": reason[:500]}
        logger.warning("Delivery %s (%s) failed for good: %s", delivery.pk, delivery.channel, reason)
    else:
        wait = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
        changes = {
            "state": DeliveryState.PENDING,
            "attempts": attempts,
            "last_error": reason[:500],
            "next_attempt_at": now + timedelta(minutes=wait),
        }
    Delivery.objects.filter(pk=delivery.pk).update(**changes)
    return _refreshed(delivery, changes)


def _refreshed(delivery: Delivery, changes: dict) -> Delivery:
    for field, value in changes.items():
        setattr(delivery, field, value)
    return delivery


def deliver(ids: Iterable[int], *, now: datetime | None = None) -> list[Delivery]:
    """Try each of these deliveries that is due (pending or held, its time come); returns them."""
    now = now or _now()
    rows = (
        Delivery.objects.filter(pk__in=list(ids), state__in=DUE_STATES, next_attempt_at__lte=now)
        .select_related("notification", "robot")
        .order_by("pk")
    )
    return [_attempt(row, now) for row in rows]


def deliver_job(ids: list[int]) -> int:
    """The worker's task queued by `plan_deliveries` and `delivery_resend`."""
    from duban.audit.context import audit_context
    from duban.audit.models import Channel as AuditChannel

    with audit_context(channel=AuditChannel.SYSTEM):
        return sum(1 for d in deliver(ids) if d.state == DeliveryState.SENT)


DUE_BATCH = 500


def deliver_due(*, now: datetime | None = None) -> int:
    """Send what is due: retries whose time has come and messages held for working hours."""
    now = now or _now()
    ids = list(
        Delivery.objects.filter(state__in=DUE_STATES, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )
    return sum(1 for d in deliver(ids, now=now) if d.state == DeliveryState.SENT)


def deliver_due_job() -> int:
    """The django-q2 schedule's entry point (every minute; see the migration)."""
    from duban.audit.context import audit_context
    from duban.audit.models import Channel as AuditChannel

    with audit_context(channel=AuditChannel.SYSTEM):
        return deliver_due()


RESEND_MAX = 500


def delivery_resend(*, deliveries: Iterable[Delivery], by) -> int:
    """The office sends failed deliveries once more (in the background, after commit); returns how many."""
    if not is_office_user(by):
        raise NotPermitted
    rows = [d for d in deliveries if d.state == DeliveryState.FAILED]
    if len(rows) > RESEND_MAX:
        raise Invalid(_("一次最多重发 %(n)d 条。") % {"n": RESEND_MAX})
    now = _now()
    for row in rows:
        row.state = DeliveryState.PENDING
        row.next_attempt_at = now
        # A plain save: who resent what is in the audit trail.
        row.save(update_fields=["state", "next_attempt_at"])
    if rows:
        queue("duban.notifications.services.deliver_job", [r.pk for r in rows], name="notifications.resend")
    return len(rows)
