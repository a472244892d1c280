"""The inbox (one row per recipient and message) and each user's choice of which kinds also come by email."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts.roles import Role
from duban.accounts.scope import ScopeRule
from duban.core.fields import weak_link


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("交办")
    COMMENT = "comment", _("批示与回复")
    REMINDER = "reminder", _("催办")
    NEARING_DEADLINE = "nearing_deadline", _("临近期限")
    OVERDUE = "overdue", _("逾期")
    RETURNED = "returned", _("退回")
    EXTENSION_DECIDED = "extension_decided", _("延期审批结果")
    CLOSED = "closed", _("办结")
    REOPENED = "reopened", _("重新打开")
    REPLY = "reply", _("督办回复")
    APPROVAL = "approval", _("待单位领导审核")
    PROGRESS = "progress", _("进展报送")
    COORDINATION = "coordination", _("提请协调")
    DIGEST = "digest", _("每日汇总")


# Email is on by default for the kinds that ask the recipient to act or that settle a matter
# (assignment, reminder, overdue, return, extension decision, closure, a unit's reply to the office, what waits for a unit head's approval, a coordination request to a leader, the daily digest): each happens a few times in a
# directive's life and missing one has consequences. It is off for comments, which come in
# conversations of many messages, and for "nearing deadline", which the periodic light job raises for
# every directive in the yellow window; both are visible in the inbox and on the lights, and mailing
# them would teach people to ignore Duban's mail.
EMAIL_BY_DEFAULT: frozenset[str] = frozenset(
    {
        NotificationKind.ASSIGNED,
        NotificationKind.REMINDER,
        NotificationKind.OVERDUE,
        NotificationKind.RETURNED,
        NotificationKind.EXTENSION_DECIDED,
        NotificationKind.CLOSED,
        NotificationKind.REOPENED,
        NotificationKind.REPLY,
        NotificationKind.APPROVAL,
        NotificationKind.COORDINATION,
        NotificationKind.DIGEST,
    }
)


class Delivery(models.TextChoices):
    """When informational notices reach a user (new work in a leader's portfolio, progress reported):
    one by one as they happen, or held for one summary a working day. Notices that need the user
    (a coordination request addressed to him, a decision on closing or extending) always come at once."""

    IMMEDIATE = "immediate", _("立即通知")
    DIGEST = "digest", _("每日汇总")


# Leaders hear of every directive assigned in their portfolio and of its progress: by default they
# read it once a day, in one summary; everyone else, at once.
DIGEST_BY_DEFAULT_ROLES: frozenset[str] = frozenset({Role.LEADER})


# Private to the recipient. A ScopeRule cannot say "only the recipient": visible_to lets the office see
# every row of every model. So the rule below is the closed one (no unit, no leader, not public), and
# the selectors of this app do not call visible_to at all: they filter on recipient == user (or
# user == user for preferences), for the office as for everyone else.
PRIVATE_TO_USER = ScopeRule()


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=32, choices=NotificationKind.choices)
    # Title and body are stored as rendered text: a notification says what was true when it was sent.
    title = models.CharField(_("标题"), max_length=255)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    sender = weak_link(settings.AUTH_USER_MODEL, _("发送人"), blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # An informational notice for someone who reads them once a day: kept out of the inbox and the
    # unread count, then listed in that day's summary (`digest`), which links to it.
    held = models.BooleanField(_("每日汇总"), default=False)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("所属汇总"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )

    data_scope = PRIVATE_TO_USER

    class Meta:
        verbose_name = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The unread count on every page, and the inbox itself.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # What the daily digest has still to send.
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_awaiting_digest",
                condition=models.Q(held=True, digest__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """A user's explicit choice for one kind; without a row the default (EMAIL_BY_DEFAULT) applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="email_preferences",
    )
    kind = models.CharField(_("类型"), max_length=32, choices=NotificationKind.choices)
    email = models.BooleanField(_("发送邮件"))

    data_scope = PRIVATE_TO_USER

    class Meta:
        verbose_name = _("邮件通知设置")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"


class DeliveryPreference(models.Model):
    """A user's explicit choice of when informational notices reach him; without a row the default
    for his role applies (DIGEST_BY_DEFAULT_ROLES)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_delivery",
    )
    informational = models.CharField(_("信息类通知"), max_length=16, choices=Delivery.choices)

    data_scope = PRIVATE_TO_USER

    class Meta:
        verbose_name = _("通知方式")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_informational_display()}"
