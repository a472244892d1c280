"""The office's channel settings (which channels are on, the units' group robots) and the test
message of `duban notify test`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.errors import Invalid, NotPermitted
from duban.core.services import model_create

from ..models import Channel, ChannelSwitch, Delivery, Notification, NotificationKind, UnitRobot
from ..rules import may_manage_channels
from .deliveries import deliver, plan_deliveries


def _require_office(by) -> None:
    if not may_manage_channels(by):
        raise NotPermitted


def channel_switches_save(*, switches: dict[str, bool], by) -> None:
    """The office turns channels on or off for everyone (the inbox cannot be turned off)."""
    _require_office(by)
    unknown = set(switches) - set(Channel.values)
    if unknown:
        raise Invalid(_("未知的通知渠道：%(channels)s") % {"channels": "、".join(sorted(unknown))})
    with transaction.atomic():
        for channel, enabled in switches.items():
            ChannelSwitch.objects.update_or_create(channel=channel, defaults={"enabled": bool(enabled)})


def robot_save(*, robot: UnitRobot | None = None, by, **fields) -> UnitRobot:
    """Add a unit's group robot, or change one (validated: one robot per unit and channel)."""
    _require_office(by)
    if robot is None:
        return model_create(UnitRobot, **fields)
    for name, value in fields.items():
        setattr(robot, name, value)
    robot.full_clean()
    robot.save()
    return robot


def robot_delete(*, robot: UnitRobot, by) -> None:
    _require_office(by)
    robot.delete()


def notify_test(*, user, channel: str | None = None) -> list[Delivery]:
    """A test message to `user` through `channel` (or every channel he receives), sent now, in this
    process, whatever the hour; returns the deliveries with their outcome. The message is in his inbox."""
    now = timezone.now()
    notification = Notification.objects.create(
        recipient=user,
        kind=NotificationKind.TEST,
        title=_("督办平台测试消息"),
        body=_("这是一条测试消息，收到即说明通知渠道配置正确。"),
        url="/notifications/",
        created_at=now,
    )
    rows = plan_deliveries(
        [(notification, user)], email_wanted={user.pk}, urgent=True, only=channel, background=False
    )
    return deliver([row.pk for row in rows], now=timezone.now())
