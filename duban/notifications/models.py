"""The inbox (one row per recipient and message) and each user's choice of which kinds also come by email."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


# Email is on by default for the kinds that ask the recipient to act or that settle a matter
# (assignment, reminder, overdue, return, extension decision, closure, a unit's reply to the office, what waits for a unit head's approval): each happens a few times in a
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
    }
)

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

    data_scope = PRIVATE_TO_USER

    class Meta:
        verbose_name = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The unread count on every page, and the inbox itself.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
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
