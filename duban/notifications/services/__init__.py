"""Writes of the notifications app: the inbox and the users' choices (`inbox`), the deliveries through
e-mail, DingTalk, WeCom and SMS (`deliveries`), the office's channel settings (`channels`)."""

from .channels import channel_switches_save, notify_test, robot_delete, robot_save
from .deliveries import (
    deliver,
    deliver_due,
    deliver_due_job,
    deliver_job,
    delivery_resend,
    plan_deliveries,
    release_time,
)
from .inbox import (
    channel_preferences_save,
    delivery_save,
    email_preferences_save,
    is_urgent,
    kind_cadences_save,
    notification_mark_all_read,
    notification_mark_read,
    notify,
    recipients_for_office,
    recipients_for_unit,
    send_digests,
    send_digests_job,
)

__all__ = [
    "channel_preferences_save",
    "channel_switches_save",
    "deliver",
    "deliver_due",
    "deliver_due_job",
    "deliver_job",
    "delivery_resend",
    "delivery_save",
    "email_preferences_save",
    "is_urgent",
    "kind_cadences_save",
    "notification_mark_all_read",
    "notification_mark_read",
    "notify",
    "notify_test",
    "plan_deliveries",
    "recipients_for_office",
    "recipients_for_unit",
    "release_time",
    "robot_delete",
    "robot_save",
    "send_digests",
    "send_digests_job",
]
