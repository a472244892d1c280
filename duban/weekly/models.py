"""The weekly cycle (周报告制度 and 周例会): reporting cycles per ISO week, each unit's weekly report on
its open items, the compiled bulletin (周报), and the weekly meeting's agenda and decisions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule
from duban.core.concurrency import VersionedModel
from duban.core.fields import optional_link, weak_link
from duban.organisation.models import Leader, Theme, Unit


class CycleState(models.TextChoices):
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已截止")


class ReportingCycle(models.Model):
    """One week's reporting: opened on its Monday, due on its last working day, closed after."""

    iso_year = models.PositiveSmallIntegerField(_("年度"))
    iso_week = models.PositiveSmallIntegerField(_("周次"))
    issue_number = models.PositiveIntegerField(_("期数"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    due_at = models.DateTimeField(_("报送截止时间"))
    remind_at = models.DateTimeField(_("提醒时间"))
    close_at = models.DateTimeField(_("关闭时间"))
    state = models.CharField(_("状态"), max_length=8, choices=CycleState.choices, default=CycleState.OPEN)
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("提醒发送时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("截止处理时间"), null=True, blank=True)
    # The day the open items were last gathered into the reports (once a day while open).
    synced_on = models.DateField(_("同步日期"), null=True, blank=True)
    # The lights as they stood when the cycle closed (`LightSnapshot`, `SnapshotItem`): taken once.
    snapshot_at = models.DateTimeField(_("亮灯快照时间"), null=True, blank=True)
    # Taken afterwards (a cycle closed before snapshots existed): the figures of that later moment.
    snapshot_backfilled = models.BooleanField(_("补记快照"), default=False)

    # The period and due time of a cycle are no secret; what was reported is scoped on the reports.
    data_scope = ScopeRule(public=True)

    class Meta:
        verbose_name = _("周报周期")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["iso_year", "iso_week"], name="weekly_cycle_per_week"),
            models.UniqueConstraint(fields=["iso_year", "issue_number"], name="weekly_issue_per_year"),
        ]

    def __str__(self) -> str:
        return _("%(year)d年第%(n)d期周报（%(start)s—%(end)s）") % {
            "year": self.iso_year,
            "n": self.issue_number,
            "start": self.starts_on,
            "end": self.ends_on,
        }

    @property
    def issue_label(self) -> str:
        return _("第%(n)d期") % {"n": self.issue_number}


class ReportState(models.TextChoices):
    PENDING = "pending", _("未填报")
    DRAFT = "draft", _("草稿")
    # Filled and sent to the unit's head (单位领导审核), where the unit asks for it; not yet at the office.
    HEAD_REVIEW = "head_review", _("待单位领导审核")
    SUBMITTED = "submitted", _("已提交")


class Timeliness(models.TextChoices):
    PENDING = "pending", _("待报送")
    ON_TIME = "on_time", _("按时报送")
    LATE = "late", _("迟报")
    MISSING = "missing", _("未报送")


class WeeklyReport(VersionedModel):
    """A unit's report for one cycle, covering every open item it leads."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name=_("周报周期"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("状态"), max_length=16, choices=ReportState.choices, default=ReportState.PENDING
    )
    # Derived from the first submission against the due time, or set to missing when the cycle closes.
    timeliness = models.CharField(
        _("报送及时性"), max_length=16, choices=Timeliness.choices, default=Timeliness.PENDING
    )
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = weak_link(settings.AUTH_USER_MODEL, _("提交人"), blank=True)
    # 单位领导审核: when and by whom the report was sent to the unit's head, and the head's word when
    # he sent it back.
    head_requested_at = models.DateTimeField(_("提交单位领导审核时间"), null=True, blank=True)
    head_requested_by = weak_link(settings.AUTH_USER_MODEL, _("提交审核人"), blank=True)
    head_note = models.CharField(_("单位领导退回意见"), max_length=200, blank=True)
    reopened_at = models.DateTimeField(_("退回修改时间"), null=True, blank=True)
    reopen_reason = models.CharField(_("退回原因"), max_length=200, blank=True)
    last_reminded_at = models.DateTimeField(_("最近催报时间"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("催报次数"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    data_scope = ScopeRule(units=("unit",), owner="unit")

    class Meta:
        verbose_name = _("单位周报")
        ordering = ["cycle", "unit__tree_path"]
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="weekly_report_per_unit")]
        indexes = [
            models.Index(fields=["cycle", "state"], name="weekly_report_cycle_state"),
            models.Index(fields=["unit", "cycle"], name="weekly_report_unit_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.cycle.issue_label}"

    @property
    def is_locked(self) -> bool:
        return self.state in (ReportState.SUBMITTED, ReportState.HEAD_REVIEW)


class ReportItem(models.Model):
    """One open item in a unit's weekly report; `source` names the provider (see providers.py)."""

    report = models.ForeignKey(
        WeeklyReport, verbose_name=_("单位周报"), on_delete=models.CASCADE, related_name="items"
    )
    source = models.CharField(_("事项类型"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("事项编号"))
    # Snapshots taken when the item was gathered, so that the bulletin says what was true that week.
    title = models.CharField(_("事项名称"), max_length=200)
    theme = weak_link(Theme, _("工作主题"), blank=True)
    light = models.CharField(_("亮灯"), max_length=8, blank=True)
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    done_this_week = models.TextField(_("本周完成情况"), blank=True)
    plan_next_week = models.TextField(_("下周工作计划"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    coordination_request = models.TextField(_("需协调解决事项"), blank=True)
    coordination_leader = weak_link(Leader, _("提请协调领导"), blank=True)
    coordination_unit = weak_link(Unit, _("提请协调单位"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), null=True, blank=True)

    data_scope = ScopeRule(units=("report__unit",), owner="report__unit")

    class Meta:
        verbose_name = _("周报事项")
        ordering = ["report", "deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "source", "object_id"], name="weekly_item_once_per_report"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_filled(self) -> bool:
        return bool(self.done_this_week.strip()) and self.percent is not None


# What a unit fills in for each item: the page's form, the API's PATCH and `item_save` take these.
ITEM_INPUT_FIELDS = [
    "done_this_week",
    "plan_next_week",
    "problems",
    "percent",
    "coordination_request",
    "coordination_leader",
    "coordination_unit",
]


class BulletinState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("编制中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


def bulletin_path(instance, filename: str) -> str:
    return f"weekly/bulletins/{instance.cycle.iso_year}/{filename}"


class Bulletin(models.Model):
    """The compiled weekly bulletin (周报 第N期) of a cycle, as Word and Excel, with its progress."""

    cycle = models.OneToOneField(
        ReportingCycle, verbose_name=_("周报周期"), on_delete=models.CASCADE, related_name="bulletin"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=BulletinState.choices, default=BulletinState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    item_count = models.PositiveIntegerField(_("事项数"), default=0)
    docx = models.FileField(_("Word 文件"), upload_to=bulletin_path, max_length=255, blank=True)
    xlsx = models.FileField(_("Excel 文件"), upload_to=bulletin_path, max_length=255, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    requested_by = weak_link(settings.AUTH_USER_MODEL, _("编制人"))
    requested_at = models.DateTimeField(_("编制时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    # The office compiles it; leaders read it (selectors.bulletin_list adds them).
    data_scope = ScopeRule()

    class Meta:
        verbose_name = _("周报简报")

    def __str__(self) -> str:
        return str(self.cycle)


class WeeklyMeeting(models.Model):
    """The weekly meeting (周例会) of a cycle: a directives Meeting of kind WEEKLY, and its agenda."""

    cycle = models.OneToOneField(
        ReportingCycle, verbose_name=_("周报周期"), on_delete=models.PROTECT, related_name="weekly_meeting"
    )
    meeting = models.OneToOneField(
        "directives.Meeting", verbose_name=_("会议"), on_delete=models.PROTECT, related_name="weekly"
    )
    created_by = weak_link(settings.AUTH_USER_MODEL, _("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    data_scope = ScopeRule(leaders=("meeting__chair",))

    class Meta:
        verbose_name = _("周例会")
        ordering = ["-cycle__starts_on"]

    def __str__(self) -> str:
        return str(self.meeting)


class AgendaKind(models.TextChoices):
    COORDINATION = "coordination", _("需协调解决事项")
    RED = "red", _("红灯事项")
    OTHER = "other", _("其他议题")


class DecisionAction(models.TextChoices):
    NOTE = "note", _("仅记录")
    NEW_DIRECTIVE = "new_directive", _("新立督办事项")
    NEW_DEADLINE = "new_deadline", _("调整办理时限")
    NEW_UNIT = "new_unit", _("调整牵头单位")
    CLOSE = "close", _("同意办结")


class DecisionStage(models.TextChoices):
    """Where an agenda item stands: derived from its decision (see `AgendaItem.stage`), not stored."""

    OPEN = "open", _("待决定")
    NOTED = "noted", _("已记录决定")
    CARRIED_OUT = "carried_out", _("已执行")


class AgendaItem(VersionedModel):
    """One item on the weekly meeting's agenda and the meeting's decision on it."""

    weekly_meeting = models.ForeignKey(
        WeeklyMeeting, verbose_name=_("周例会"), on_delete=models.CASCADE, related_name="agenda"
    )
    order = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("议题类型"), max_length=16, choices=AgendaKind.choices)
    report_item = weak_link(ReportItem, _("周报事项"), blank=True)
    source = models.CharField(_("事项类型"), max_length=32, blank=True)
    object_id = models.PositiveBigIntegerField(_("事项编号"), null=True, blank=True)
    title = models.CharField(_("议题"), max_length=200)
    unit = optional_link(Unit, _("相关单位"), related_name="+")
    detail = models.TextField(_("议题内容"), blank=True)
    decision = models.TextField(_("会议决定"), blank=True)
    action = models.CharField(_("决定事项"), max_length=16, choices=DecisionAction.choices, blank=True)
    resulting_directive_id = models.PositiveBigIntegerField(_("形成的督办事项"), null=True, blank=True)
    decided_by = weak_link(settings.AUTH_USER_MODEL, _("记录人"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    data_scope = ScopeRule(leaders=("weekly_meeting__meeting__chair",))

    class Meta:
        verbose_name = _("周例会议题")
        ordering = ["weekly_meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["weekly_meeting", "report_item", "kind"],
                name="weekly_agenda_item_once",
                condition=models.Q(report_item__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def stage(self) -> str:
        """A decision only recorded may be decided again; one carried out through directives is final."""
        if not self.is_decided:
            return DecisionStage.OPEN
        return DecisionStage.NOTED if self.action == DecisionAction.NOTE else DecisionStage.CARRIED_OUT

    def get_stage_display(self) -> str:
        return DecisionStage(self.stage).label


# --- the lights when a cycle closed ------------------------------------------------------------------

# Read as the directives they count are read: by their lead unit, their responsible leader and the
# leaders in charge of their theme.
SNAPSHOT_SCOPE = ScopeRule(units=("unit",), leaders=("leader",), themes=("theme",))


class LightSnapshot(models.Model):
    """How many open directives showed each light when the cycle closed, per lead unit, theme and
    responsible leader: the cockpit's weekly trend and the bulletin's figures read these, never today's."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name=_("周报周期"), on_delete=models.CASCADE, related_name="light_snapshots"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey(
        Theme, verbose_name=_("工作主题"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leader = models.ForeignKey(
        Leader, verbose_name=_("责任领导"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    red = models.PositiveIntegerField(_("红灯"), default=0)
    yellow = models.PositiveIntegerField(_("黄灯"), default=0)
    green = models.PositiveIntegerField(_("绿灯"), default=0)
    overdue = models.PositiveIntegerField(_("已逾期"), default=0)
    stale = models.PositiveIntegerField(_("久未报送进展"), default=0)

    data_scope = SNAPSHOT_SCOPE

    class Meta:
        verbose_name = _("亮灯快照")
        indexes = [models.Index(fields=["cycle", "unit"], name="weekly_snapshot_cycle_unit")]

    def __str__(self) -> str:
        return f"{self.cycle_id}·{self.unit_id}·{self.theme_id}"


class SnapshotItem(models.Model):
    """A red or yellow item as the cycle closed: the bulletin's lists and the list the trend opens."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name=_("周报周期"), on_delete=models.CASCADE, related_name="snapshot_items"
    )
    source = models.CharField(_("事项类型"), max_length=16)
    object_id = models.PositiveBigIntegerField(_("事项编号"))
    light = models.CharField(_("亮灯"), max_length=8)
    title = models.CharField(_("事项名称"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(_("牵头单位名称"), max_length=120)
    theme = models.ForeignKey(
        Theme, verbose_name=_("工作主题"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    theme_name = models.CharField(_("工作主题名称"), max_length=120, blank=True)
    leader = models.ForeignKey(
        Leader, verbose_name=_("责任领导"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leader_name = models.CharField(_("责任领导姓名"), max_length=60, blank=True)
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), null=True, blank=True)
    # The position in the bulletin's list (by unit, then deadline), kept as it was.
    order = models.PositiveIntegerField(_("序号"), default=0)

    data_scope = SNAPSHOT_SCOPE

    class Meta:
        verbose_name = _("快照红黄灯事项")
        ordering = ["cycle", "light", "order", "id"]
        indexes = [models.Index(fields=["cycle", "light", "order"], name="weekly_snapshot_item_list")]

    def __str__(self) -> str:
        return self.title
