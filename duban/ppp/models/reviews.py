"""The contract-performance review (履约审查): campaigns, one review per signed contract with its
checklist and findings, and the rectification tasks the findings call for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule
from duban.core.concurrency import VersionedModel
from duban.core.fields import optional_link
from duban.organisation.models import Unit

from ..checklist import Section
from .common import project_scope
from .projects import PPPProject

CAMPAIGN_INPUT_FIELDS = ["name", "year", "due_on"]
FINDING_INPUT_FIELDS = ["item", "severity", "description"]
TASK_INPUT_FIELDS = ["finding", "owner_unit", "title", "requirement", "deadline"]


class ReviewCampaign(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        UNDER_WAY = "under_way", _("进行中")
        CLOSED = "closed", _("已结束")

    name = models.CharField(_("名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    due_on = models.DateField(_("审查截止日期"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    started_on = models.DateField(_("启动日期"), null=True, blank=True)
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    # A campaign belongs to no unit; who may open the campaign pages is `rules.sees_programme`,
    # and the reviews inside are narrowed by their project.
    data_scope = ScopeRule(public=True, finance_changes=True)

    class Meta:
        verbose_name = _("履约审查")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name


class ContractReview(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("待审查")
        IN_PROGRESS = "in_progress", _("审查中")
        RATED = "rated", _("已评定")
        RECTIFYING = "rectifying", _("整改中")
        CLOSED = "closed", _("已办结")

    class Rating(models.TextChoices):
        GOOD = "good", _("履约良好")
        BASIC = "basic", _("基本履约")
        POOR = "poor", _("履约较差")
        FAILED = "failed", _("严重违约")

    campaign = models.ForeignKey(ReviewCampaign, on_delete=models.CASCADE, related_name="reviews")
    project = models.ForeignKey(PPPProject, on_delete=models.CASCADE, related_name="reviews")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING)
    rating = models.CharField(_("评定等级"), max_length=8, choices=Rating.choices, blank=True)
    conclusion = models.TextField(_("审查结论"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审查人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    rated_on = models.DateField(_("评定日期"), null=True, blank=True)

    data_scope = project_scope("project", owner=False)

    class Meta:
        verbose_name = _("合同履约审查")
        ordering = ["campaign", "project__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "project"], name="ppp_review_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.project}"

    @property
    def failed(self) -> bool:
        return self.rating in (self.Rating.POOR, self.Rating.FAILED)


class ChecklistItem(models.Model):
    class Result(models.TextChoices):
        UNCHECKED = "unchecked", _("未检查")
        OK = "ok", _("符合")
        ISSUE = "issue", _("存在问题")
        NOT_APPLICABLE = "na", _("不适用")

    review = models.ForeignKey(ContractReview, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("编号"), max_length=4)
    section = models.CharField(_("类别"), max_length=16, choices=Section.choices)
    text = models.CharField(_("审查内容"), max_length=300)
    result = models.CharField(_("结果"), max_length=12, choices=Result.choices, default=Result.UNCHECKED)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    data_scope = project_scope("review__project", owner=False)

    class Meta:
        verbose_name = _("审查清单项")
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Finding(models.Model):
    class Severity(models.TextChoices):
        MINOR = "minor", _("一般")
        MAJOR = "major", _("重大")
        SERIOUS = "serious", _("严重")

    # The findings that only an accepted rectification task resolves, and that make a project "rectify".
    SERIOUS_ENOUGH = (Severity.MAJOR, Severity.SERIOUS)

    review = models.ForeignKey(ContractReview, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("清单项"), null=True, blank=True, on_delete=models.SET_NULL
    )
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    description = models.TextField(_("问题描述"))
    resolved = models.BooleanField(_("已整改"), default=False)

    data_scope = project_scope("review__project", owner=False)

    class Meta:
        verbose_name = _("审查发现")
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.description[:40]


class RectificationTask(VersionedModel):
    """A rectification task (整改任务) with an owner unit and a deadline.

    Each task is carried by a directive (督办事项) assigned to its owner unit, so it gets the lights,
    reminders and weekly reporting of every directive; the PPP services keep the two in step.
    """

    class State(models.TextChoices):
        OPEN = "open", _("整改中")
        SUBMITTED = "submitted", _("已报送待验收")
        DONE = "done", _("已销号")
        CANCELLED = "cancelled", _("已撤销")

    review = models.ForeignKey(ContractReview, on_delete=models.CASCADE, related_name="tasks")
    finding = optional_link(Finding, _("对应问题"), on_delete=models.SET_NULL, related_name="tasks")
    project = models.ForeignKey(PPPProject, on_delete=models.CASCADE, related_name="rectification_tasks")
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="ppp_rectification_tasks"
    )
    title = models.CharField(_("整改事项"), max_length=300)
    requirement = models.TextField(_("整改要求"), blank=True)
    deadline = models.DateField(_("整改期限"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.OPEN)
    response = models.TextField(_("整改情况"), blank=True)
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    done_on = models.DateField(_("销号日期"), null=True, blank=True)
    # When the task was called for: a task no directive carries yet shows how long it has waited.
    created_at = models.DateTimeField(_("下达时间"), default=timezone.now, editable=False)
    directive = models.OneToOneField(
        "directives.Directive",
        verbose_name=_("督办事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ppp_rectification_task",
    )

    data_scope = ScopeRule(
        units=("owner_unit", "project__implementing_agency", "project__county"),
        owner="owner_unit",
        programme="ppp",
        finance_sees_all=True,
        finance_changes=True,
    )

    # A task no longer being worked on: accepted, or withdrawn.
    FINISHED = (State.DONE, State.CANCELLED)

    class Meta:
        verbose_name = _("整改任务")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def awaits_directive(self) -> bool:
        """Still worked on, and no directive carries it yet (the office has to issue one)."""
        return self.directive_id is None and self.state not in self.FINISHED

    @property
    def days_waiting(self) -> int:
        """Calendar days since the task was called for (how long it has waited for its directive)."""
        return (timezone.localdate() - timezone.localtime(self.created_at).date()).days

    @property
    def is_overdue(self) -> bool:
        return self.state not in self.FINISHED and self.deadline < timezone.localdate()
