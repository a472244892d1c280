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
    TEST = "test", _("测试消息")


# Sent at once whatever the hour (quiet hours do not hold them) and never held for the digest: a
# directive whose light turned red. A leader's 批示 (a comment by a leader) is urgent too (notify).
URGENT_KINDS: frozenset[str] = frozenset({NotificationKind.OVERDUE, NotificationKind.TEST})


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


class Cadence(models.TextChoices):
    """When notices of a kind reach a user beyond the inbox: one by one as they happen, held for one
    summary a working day, or not at all (the inbox keeps every notice whatever the choice). Without a
    choice for the kind: informational notices (new work in a leader's portfolio, progress reported)
    follow his `DeliveryPreference` (else his role's default), the others come at once."""

    IMMEDIATE = "immediate", _("立即通知")
    DIGEST = "digest", _("每日汇总")
    OFF = "off", _("仅站内通知")


# Informational notices are read at once or in the digest (not "off": the old radio offers these two).
INFORMATIONAL_CADENCES = [(c.value, c.label) for c in (Cadence.IMMEDIATE, Cadence.DIGEST)]


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
    # Empty: the default (informational notices as the user's DeliveryPreference says, others at once).
    cadence = models.CharField(_("送达方式"), max_length=16, choices=Cadence.choices, blank=True, default="")

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
    informational = models.CharField(_("信息类通知"), max_length=16, choices=INFORMATIONAL_CADENCES)

    data_scope = PRIVATE_TO_USER

    class Meta:
        verbose_name = _("通知方式")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_informational_display()}"


# --- channels beyond the inbox -------------------------------------------------------------------------


class Channel(models.TextChoices):
    """Where a notice goes besides the inbox (which always has it)."""

    EMAIL = "email", _("电子邮件")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    WECOM = "wecom", _("企业微信群机器人")
    SMS = "sms", _("短信")


ROBOT_CHANNELS = (Channel.DINGTALK, Channel.WECOM)
# What a user receives when he has not chosen: e-mail (per kind, EmailPreference) and his unit's
# group robots; SMS costs money and reaches a personal phone, so he turns it on himself.
CHANNELS_BY_DEFAULT: frozenset[str] = frozenset({Channel.EMAIL, Channel.DINGTALK, Channel.WECOM})


class ChannelPreference(models.Model):
    """A user's explicit choice for one channel; without a row CHANNELS_BY_DEFAULT applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="channel_preferences",
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    enabled = models.BooleanField(_("接收"))

    data_scope = PRIVATE_TO_USER

    class Meta:
        verbose_name = _("通知渠道设置")
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="channel_preference_one_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_channel_display()}"


class ChannelSwitch(models.Model):
    """The office turns a channel on or off for everyone; without a row a configured channel is on."""

    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, unique=True)
    enabled = models.BooleanField(_("启用"), default=True)

    # The office's only (the closed rule).
    data_scope = ScopeRule()

    class Meta:
        verbose_name = _("通知渠道开关")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.enabled}"


class UnitRobot(models.Model):
    """A unit's group robot (its DingTalk or WeCom group), kept by the office: the unit's people are
    told there instead of the platform-wide robot (DUBAN_DINGTALK_WEBHOOK, DUBAN_WECOM_WEBHOOK)."""

    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="robots"
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=[(c.value, c.label) for c in ROBOT_CHANNELS])
    webhook = models.URLField(_("Webhook 地址"), max_length=500)
    # DingTalk's signing secret (加签, "SEC…"); WeCom's key is in the address.
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)

    # The office's only: the addresses and secrets are credentials.
    data_scope = ScopeRule()

    class Meta:
        verbose_name = _("单位群机器人")
        ordering = ["unit__code", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "channel"], name="unit_robot_one_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_channel_display()}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    HELD = "held", _("非工作时间暂缓")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One message through one channel: an e-mail or SMS to one person, or one post to a group robot
    (one per group, whatever the number of its people the notice is for). Sent by the background
    worker; retried with back-off; held outside working hours unless urgent."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    # E-mail address or phone number; a robot's post names the robot (its unit's, or none: the
    # platform-wide one in the settings) and keeps no address: it holds a credential.
    address = models.CharField(_("地址"), max_length=254, blank=True)
    robot = weak_link(UnitRobot, _("单位群机器人"), blank=True)
    unit = weak_link("organisation.Unit", _("单位"), blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("失败原因"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), default=timezone.now)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    # The office's only: who was told what, through which channel.
    data_scope = ScopeRule()

    class Meta:
        verbose_name = _("通知投递")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # What the schedule picks: pending or held, due.
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=models.Q(state__in=["pending", "held"]),
            ),
            models.Index(fields=["state", "-created_at"], name="delivery_by_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.notification_id} · {self.get_state_display()}"
