"""Directives (督办事项): the meetings they come from, their roadmaps, progress, comments, timeline,
reminders and supervision notices."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule
from duban.core.concurrency import VersionedModel
from duban.core.fields import optional_link, weak_link
from duban.organisation.models import Leader, Theme, Unit


class MeetingKind(models.TextChoices):
    MAYOR_COUNCIL = "mayor_council", _("市长议事会")
    EXECUTIVE = "executive", _("市政府常务会议")
    MAYOR_OFFICE = "mayor_office", _("市长办公会议")
    SPECIAL = "special", _("专题会议")
    WEEKLY = "weekly", _("周例会")
    OTHER = "other", _("其他会议")


class Meeting(models.Model):
    kind = models.CharField(_("会议类型"), max_length=32, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    chair = optional_link(Leader, _("主持人"), related_name="chaired_meetings")
    leaders = models.ManyToManyField(
        Leader, verbose_name=_("出席领导"), blank=True, related_name="attended_meetings"
    )
    units = models.ManyToManyField(Unit, verbose_name=_("参会单位"), blank=True, related_name="meetings")
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    # A unit sees the meetings it attended; a leader those they chaired; the office all.
    data_scope = ScopeRule(shared_units=("units",), leaders=("chair",))

    class Meta:
        verbose_name = _("会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Source(models.TextChoices):
    MEETING = "meeting", _("会议议定")
    INSTRUCTION = "instruction", _("领导批示")
    KEY_WORK = "key_work", _("年度重点工作")


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    # The lead unit's request to close, with its head (单位领导审核) before it goes to the office.
    HEAD_REVIEW = "head_review", _("办结待单位领导审核")
    COMPLETION_REQUESTED = "completion_requested", _("申请办结")
    CLOSED = "closed", _("已办结")
    SUSPENDED = "suspended", _("已暂停")
    CANCELLED = "cancelled", _("已撤销")


# The states in which a directive is being worked on, so its deadline counts.
ACTIVE_STATES = (State.ASSIGNED, State.IN_PROGRESS, State.HEAD_REVIEW, State.COMPLETION_REQUESTED)


class Light(models.TextChoices):
    RED = "red", _("红灯")
    YELLOW = "yellow", _("黄灯")
    GREEN = "green", _("绿灯")
    GREY = "grey", _("灰灯")


class Priority(models.IntegerChoices):
    NORMAL = 1, _("一般")
    IMPORTANT = 2, _("重要")
    URGENT = 3, _("紧急")


# A directive is read by its units, its responsible leader and the leaders in charge of its theme.
DIRECTIVE_SCOPE = ScopeRule(
    units=("lead_unit",),
    shared_units=("co_units",),
    owner="lead_unit",
    leaders=("responsible_leader",),
    themes=("theme",),
)


def _through_directive(rule: ScopeRule) -> ScopeRule:
    """The same scope for a row that belongs to a directive."""
    return ScopeRule(
        units=tuple(f"directive__{p}" for p in rule.units),
        shared_units=tuple(f"directive__{p}" for p in rule.shared_units),
        owner=f"directive__{rule.owner}",
        leaders=tuple(f"directive__{p}" for p in rule.leaders),
        themes=tuple(f"directive__{p}" for p in rule.themes),
    )


class Directive(VersionedModel):
    title = models.CharField(_("事项名称"), max_length=200)
    content = models.TextField(_("具体内容"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.MEETING)
    meeting = optional_link(Meeting, _("会议"), related_name="directives")
    source_note = models.CharField(
        _("来源说明"), max_length=200, blank=True, help_text=_("如：批示文号、重点工作清单条目")
    )
    theme = models.ForeignKey(Theme, verbose_name=_("工作主题"), on_delete=models.PROTECT, related_name="+")
    responsible_leader = optional_link(Leader, _("责任领导"), related_name="directives")
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_directives"
    )
    co_units = models.ManyToManyField(
        Unit, verbose_name=_("配合单位"), blank=True, related_name="co_directives"
    )
    deadline = models.DateField(_("办理时限"))
    priority = models.PositiveSmallIntegerField(
        _("优先级"), choices=Priority.choices, default=Priority.NORMAL
    )
    parent = optional_link("self", _("上级事项"), related_name="sub_tasks")
    state = models.CharField(_("状态"), max_length=24, choices=State.choices, default=State.DRAFT)
    # Derived: recomputed in bulk by recompute_lights(); never edited by hand. Deliberately not
    # indexed, so that PostgreSQL rewrites a changed light in place (a HOT update, see migration
    # 0003): the board filters it together with the indexed deadline.
    light = models.CharField(_("亮灯"), max_length=8, choices=Light.choices, default=Light.GREY)
    # Derived with the light: no progress reported for longer than the priority allows (a yellow
    # signal of its own, and the cockpit's "stale" count).
    stale = models.BooleanField(_("久未报送进展"), default=False)
    percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    extension_until = models.DateField(_("申请延期至"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    created_by = weak_link(settings.AUTH_USER_MODEL, _("创建人"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    data_scope = DIRECTIVE_SCOPE

    class Meta:
        verbose_name = _("督办事项")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["deadline", "id"], name="directive_deadline"),
            models.Index(fields=["state", "deadline"], name="directive_state_deadline"),
            models.Index(fields=["lead_unit", "state"], name="directive_unit_state"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.source == Source.MEETING and not self.meeting_id:
            raise ValidationError({"meeting": _("来源为会议议定时，请选择会议。")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级事项不能是本事项。")})

    @property
    def extension_pending(self) -> bool:
        return self.extension_until is not None


# What the office fills in and edits (the page's form and the API's serializer); the rest is derived.
DIRECTIVE_INPUT_FIELDS = [
    "title",
    "content",
    "source",
    "meeting",
    "source_note",
    "theme",
    "responsible_leader",
    "lead_unit",
    "co_units",
    "deadline",
    "priority",
]


def _part_of_directive(related_name: str) -> models.ForeignKey:
    """The directive a row belongs to (and is deleted with)."""
    return models.ForeignKey(
        Directive, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name=related_name
    )


class MilestoneState(models.TextChoices):
    PENDING = "pending", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")


class Milestone(models.Model):
    directive = _part_of_directive("milestones")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("节点名称"), max_length=200)
    due_on = models.DateField(_("节点时限"))
    state = models.CharField(
        _("状态"), max_length=16, choices=MilestoneState.choices, default=MilestoneState.PENDING
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    data_scope = _through_directive(DIRECTIVE_SCOPE)

    class Meta:
        verbose_name = _("节点")
        ordering = ["directive", "order", "due_on", "id"]
        indexes = [models.Index(fields=["directive", "state", "due_on"], name="milestone_open_due")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class ProgressReport(models.Model):
    directive = _part_of_directive("progress_reports")
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    # [{"milestone": id, "title": ..., "from": state, "to": state}], as reported.
    milestone_changes = models.JSONField(_("节点变化"), default=list, blank=True)
    author = weak_link(settings.AUTH_USER_MODEL, _("填报人"))
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    data_scope = _through_directive(DIRECTIVE_SCOPE)

    class Meta:
        verbose_name = _("进展")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["directive", "-created_at"], name="progress_directive_time")]

    def __str__(self) -> str:
        return f"{self.directive_id} {self.percent}%"


def evidence_path(instance, filename: str) -> str:
    return f"directives/evidence/{instance.directive_id}/{filename}"


class Evidence(models.Model):
    """A document or image proving progress, on a progress report or a milestone."""

    directive = _part_of_directive("evidence")
    report = optional_link(ProgressReport, _("进展"), on_delete=models.CASCADE, related_name="evidence")
    milestone = optional_link(Milestone, _("节点"), on_delete=models.SET_NULL, related_name="evidence")
    file = models.FileField(_("佐证材料"), upload_to=evidence_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = weak_link(settings.AUTH_USER_MODEL, _("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    data_scope = _through_directive(DIRECTIVE_SCOPE)

    class Meta:
        verbose_name = _("佐证材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class CommentKind(models.TextChoices):
    INSTRUCTION = "instruction", _("领导批示")
    REPLY = "reply", _("单位回复")


class Comment(models.Model):
    directive = _part_of_directive("comments")
    kind = models.CharField(_("类型"), max_length=16, choices=CommentKind.choices)
    reply_to = optional_link("self", _("回复"), on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("内容"))
    author = weak_link(settings.AUTH_USER_MODEL, _("作者"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    data_scope = _through_directive(DIRECTIVE_SCOPE)

    class Meta:
        verbose_name = _("批示与回复")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class EventKind(models.TextChoices):
    CREATED = "created", _("创建")
    EDITED = "edited", _("修改")
    ASSIGNED = "assigned", _("交办")
    STARTED = "started", _("签收办理")
    COMPLETION_REQUESTED = "completion_requested", _("申请办结")
    SUBMITTED_FOR_APPROVAL = "submitted_for_approval", _("提交单位领导审核")
    HEAD_APPROVED = "head_approved", _("单位领导审核通过")
    HEAD_SENT_BACK = "head_sent_back", _("单位领导退回")
    CLOSED = "closed", _("办结")
    REOPENED = "reopened", _("重新打开")
    RETURNED = "returned", _("退回")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_APPROVED = "extension_approved", _("同意延期")
    EXTENSION_REFUSED = "extension_refused", _("不同意延期")
    SUSPENDED = "suspended", _("暂停")
    RESUMED = "resumed", _("恢复办理")
    CANCELLED = "cancelled", _("撤销")
    SPLIT = "split", _("分解子任务")
    MILESTONE = "milestone", _("节点调整")
    PROGRESS = "progress", _("报送进展")
    COMMENT = "comment", _("领导批示")
    REPLY = "reply", _("单位回复")
    REMINDER = "reminder", _("催办")
    NOTICE = "notice", _("督办通知单")
    NOTICE_REPLY = "notice_reply", _("回复督办")
    ESCALATION = "escalation", _("逐级督办")


# The steps that start (or restart) the clock of a directive with no progress reported since.
CLOCK_STARTS = (EventKind.ASSIGNED, EventKind.STARTED, EventKind.REOPENED, EventKind.RESUMED)


class TimelineEvent(models.Model):
    """One entry on a directive's timeline; written by the services, never edited."""

    directive = _part_of_directive("events")
    kind = models.CharField(_("事件"), max_length=32, choices=EventKind.choices)
    from_state = models.CharField(_("原状态"), max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24, choices=State.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    actor = weak_link(settings.AUTH_USER_MODEL, _("操作人"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    data_scope = _through_directive(DIRECTIVE_SCOPE)

    class Meta:
        verbose_name = _("办理记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["directive", "created_at"], name="event_directive_time")]

    def __str__(self) -> str:
        return f"{self.directive_id} {self.kind}"


class ReplyState(models.TextChoices):
    """Where a reminder or a supervision notice stands with its unit's reply (derived, not stored)."""

    AWAITING = "awaiting", _("待回复")
    REPLIED = "replied", _("已回复")
    OVERDUE = "overdue", _("逾期未回复")


class AwaitsReply:
    """A reminder or notice the addressed unit answers by `reply_by` (a date on the working calendar).
    The lists annotate `replied` (one subquery); otherwise it is asked of the replies."""

    @property
    def reply_state(self) -> str:
        from django.utils import timezone

        replied = getattr(self, "replied", None)
        if replied is None:
            replied = self.replies.exists()
        if replied:
            return ReplyState.REPLIED
        if self.reply_by is not None and self.reply_by < timezone.localdate():
            return ReplyState.OVERDUE
        return ReplyState.AWAITING

    def get_reply_state_display(self) -> str:
        return ReplyState(self.reply_state).label


class Reminder(AwaitsReply, models.Model):
    """A reminder (催办) sent to a unit about one or more directives."""

    unit = models.ForeignKey(Unit, verbose_name=_("催办单位"), on_delete=models.PROTECT, related_name="+")
    directives = models.ManyToManyField(Directive, verbose_name=_("督办事项"), related_name="reminders")
    message = models.TextField(_("催办内容"), blank=True)
    # Empty on reminders sent before replies were asked for: those are never overdue.
    reply_by = models.DateField(_("回复时限"), null=True, blank=True)
    sent_by = weak_link(settings.AUTH_USER_MODEL, _("发送人"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    data_scope = ScopeRule(units=("unit",))

    class Meta:
        verbose_name = _("催办")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.sent_at:%Y-%m-%d}"


def notice_path(instance, filename: str) -> str:
    return f"directives/notices/{instance.year}/{filename}"


class SupervisionNotice(AwaitsReply, models.Model):
    """A formal supervision notice (督办通知单), numbered per year, counted against the unit."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("督办事项"), on_delete=models.PROTECT, related_name="notices"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("主送单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    # The colour of a step of the escalation ladder (蓝, 黄, 红…), numbered on its own each year;
    # empty for the notices issued outside the ladder (〔2026〕第3号).
    series = models.CharField(_("编号字"), max_length=4, blank=True, default="")
    sequence = models.PositiveIntegerField(_("序号"))
    matters = models.TextField(_("督办事项"))
    reply_by = models.DateField(_("回复时限"))
    issued_on = models.DateField(_("签发日期"))
    file = models.FileField(_("通知单文件"), upload_to=notice_path, max_length=255, blank=True)
    issued_by = weak_link(settings.AUTH_USER_MODEL, _("签发人"))

    data_scope = _through_directive(DIRECTIVE_SCOPE)

    class Meta:
        verbose_name = _("督办通知单")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "series", "sequence"], name="notice_number_per_year")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        if self.series:
            return f"督办〔{self.year}〕{self.series}{self.sequence}号"
        return f"〔{self.year}〕第{self.sequence}号"


def reply_path(instance, filename: str) -> str:
    return f"directives/replies/{instance.unit_id}/{filename}"


class SupervisionReply(models.Model):
    """A unit's reply (回复) to a reminder or a supervision notice addressed to it: text and an optional
    file. A unit may add to its reply; the first one settles the reminder's or notice's state."""

    notice = optional_link(
        SupervisionNotice, _("督办通知单"), on_delete=models.CASCADE, related_name="replies"
    )
    reminder = optional_link(Reminder, _("催办"), on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey(Unit, verbose_name=_("回复单位"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("回复内容"))
    file = models.FileField(_("附件"), upload_to=reply_path, max_length=255, blank=True)
    file_name = models.CharField(_("附件名"), max_length=200, blank=True)
    replied_by = weak_link(settings.AUTH_USER_MODEL, _("回复人"))
    replied_at = models.DateTimeField(_("回复时间"), auto_now_add=True)

    # The replying unit and the office; a notice's reply also its directive's leaders.
    data_scope = ScopeRule(
        units=("unit",),
        owner="unit",
        leaders=("notice__directive__responsible_leader",),
        themes=("notice__directive__theme",),
    )

    class Meta:
        verbose_name = _("督办回复")
        ordering = ["replied_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notice__isnull=False, reminder__isnull=True)
                | models.Q(notice__isnull=True, reminder__isnull=False),
                name="reply_answers_one_notice_or_reminder",
            )
        ]

    def __str__(self) -> str:
        return self.text[:30]


class WarningThresholds(models.Model):
    """The office's thresholds for the lights, in working days (one row; defaults from settings)."""

    yellow_days = models.PositiveSmallIntegerField(
        _("临近时限预警（工作日）"), default=3, help_text=_("距办理时限不超过这么多个工作日时亮黄灯。")
    )
    red_milestone_days = models.PositiveSmallIntegerField(
        _("节点逾期红灯（工作日）"), default=5, help_text=_("节点逾期超过这么多个工作日时亮红灯。")
    )
    # Stagnation, by priority: a weekly cycle reports every five working days, so an urgent item
    # silent for a whole cycle, an important one for a cycle and a half, an ordinary one for two.
    stale_days_normal = models.PositiveSmallIntegerField(
        _("一般事项未报送进展预警（工作日）"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("一般事项超过这么多个工作日未报送进展时亮黄灯。"),
    )
    stale_days_important = models.PositiveSmallIntegerField(
        _("重要事项未报送进展预警（工作日）"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("重要事项超过这么多个工作日未报送进展时亮黄灯。"),
    )
    stale_days_urgent = models.PositiveSmallIntegerField(
        _("紧急事项未报送进展预警（工作日）"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("紧急事项超过这么多个工作日未报送进展时亮黄灯。"),
    )

    class Meta:
        verbose_name = _("亮灯规则")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def stale_days(self) -> dict[int, int]:
        return {
            Priority.NORMAL: self.stale_days_normal,
            Priority.IMPORTANT: self.stale_days_important,
            Priority.URGENT: self.stale_days_urgent,
        }

    @classmethod
    def current(cls) -> WarningThresholds:
        row = cls.objects.first()
        if row is None:
            row = cls(
                yellow_days=getattr(settings, "DUBAN_YELLOW_WORKING_DAYS", 3),
                red_milestone_days=getattr(settings, "DUBAN_RED_MILESTONE_WORKING_DAYS", 5),
            )
        return row


# The ladder's rows point at the directive and its notices, so they come last.
from .escalation import (  # noqa: E402, F401
    Approver,
    Escalation,
    EscalationState,
    EscalationStep,
    StepDocument,
    StepLight,
)
