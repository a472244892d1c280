"""A scheme (考核方案): its unit groups and members, its dated indicator tree, the weights of each group."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule
from duban.core.concurrency import VersionedModel
from duban.core.fields import optional_link
from duban.organisation.models import Unit

# Schemes, their tree and their rankings are read by every signed-in user when public (明争) and by the
# office and leaders when internal (暗赛): the selectors narrow by the scheme's visibility.
SCHEME_SCOPE = ScopeRule(public=True)


class PeriodType(models.TextChoices):
    YEAR = "year", _("年度")
    QUARTER = "quarter", _("季度")
    MONTH = "month", _("月度")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公开（明争）")
    INTERNAL = "internal", _("内部（暗赛）")


class Grading(models.TextChoices):
    """A scheme grades by score bands ([threshold, grade], best first) or by quotas of each ranked
    group's places ([percent, grade], best first, adding up to 100: `scoring.compute.quota_grades`)."""

    BANDS = "bands", _("按分数段")
    QUOTAS = "quotas", _("按比例")


def default_grades() -> list:
    return [[90, "优秀"], [80, "良好"], [60, "一般"], [0, "较差"]]


def default_quotas() -> list:
    return [[20, "优秀"], [30, "良好"], [40, "一般"], [10, "较差"]]


class Scheme(VersionedModel):
    name = models.CharField(_("方案名称"), max_length=120, unique=True)
    period_type = models.CharField(_("考核周期"), max_length=8, choices=PeriodType.choices)
    visibility = models.CharField(_("公开范围"), max_length=8, choices=Visibility.choices)
    description = models.TextField(_("说明"), blank=True)
    grading = models.CharField(_("等次评定"), max_length=8, choices=Grading.choices, default=Grading.BANDS)
    # [[threshold, grade], …] best first: a score takes the first threshold it reaches (bands), or
    # [[percent, grade], …] best first: the places of each ranked group (quotas).
    grades = models.JSONField(_("等次划分"), default=default_grades)
    appeal_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    data_scope = SCHEME_SCOPE

    class Meta:
        verbose_name = _("考核方案")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def by_quotas(self) -> bool:
        return self.grading == Grading.QUOTAS


class UnitGroup(VersionedModel):
    """Units ranked together (县区, 市直部门, 开发区 …)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("分组名称"), max_length=60)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    data_scope = SCHEME_SCOPE

    class Meta:
        verbose_name = _("考核分组")
        ordering = ["scheme", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="assessment_group_name_once")]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A unit assessed in a group; a 单列 unit is assessed with its group's weights but not ranked."""

    group = models.ForeignKey(UnitGroup, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    separate = models.BooleanField(_("单列（考核不排名）"), default=False)

    data_scope = ScopeRule(public=True)

    class Meta:
        verbose_name = _("考核对象")
        ordering = ["group", "unit__sort_order", "unit__pk"]
        constraints = [models.UniqueConstraint(fields=["group", "unit"], name="assessment_member_once")]

    def __str__(self) -> str:
        return f"{self.group} · {self.unit}"


class Formula(models.TextChoices):
    TARGET = "target", _("目标值法")
    RANK = "rank", _("排名法")
    BANDS = "bands", _("分档计分")
    DEDUCTION = "deduction", _("扣分")


class Source(models.TextChoices):
    """Where an indicator's value comes from: the platform's records (as rates), or entries by a reviewer."""

    CLOSURE_RATE = "closure_rate", _("督办事项按期办结率")
    OVERDUE_DAYS = "overdue_days", _("督办事项平均逾期工作日")
    MILESTONE_RATE = "milestone_rate", _("节点按期完成率")
    WEEKLY_RATE = "weekly_rate", _("周报按时报送率")
    REPLY_RATE = "reply_rate", _("催办和督办通知回复率")
    BOND_COUNT_RATE = "bond_count_rate", _("专项债券申报成功率（个数）")
    BOND_AMOUNT_RATE = "bond_amount_rate", _("专项债券申报成功率（金额）")
    BOND_ISSUANCE_RATE = "bond_issuance_rate", _("专项债券发行进度（已发行÷已分配额度）")
    BOND_SPENDING_RATE = "bond_spending_rate", _("专项债券支出进度（已支出÷计划支出）")
    PPP_RECTIFICATION_RATE = "ppp_rectification_rate", _("PPP整改按期完成率")
    PPP_REVIEW_RATE = "ppp_review_rate", _("PPP合同履约审查合格率（良好或基本履约）")
    SURVEY_RATE = "survey_rate", _("统计调查按时填报率")
    TYPICAL_EXPERIENCE = "typical_experience", _("典型经验（采用篇数）")
    MANUAL = "manual", _("人工评分")


AUTOMATIC_SOURCES = {source for source in Source.values if source != Source.MANUAL}


class Frequency(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class Indicator(VersionedModel):
    """A node of the dated indicator tree: 一级 and 二级 nodes group, 三级 (or any node without children)
    scores. `valid_from`/`valid_to` date the tree, so a period scores the indicators in force then."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    parent = optional_link("self", _("上级指标"), on_delete=models.CASCADE, related_name="children")
    key = models.SlugField(_("指标代码"), max_length=40)
    name = models.CharField(_("指标名称"), max_length=120)
    level = models.PositiveSmallIntegerField(_("层级"), default=1, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    scored = models.BooleanField(_("计分指标"), default=True)
    formula = models.CharField(_("计分方法"), max_length=10, choices=Formula.choices, blank=True)
    # target, cap, better, step, bands, per, max: as `duban assessment score` reads them.
    params = models.JSONField(_("计分参数"), default=dict, blank=True)
    weight = models.DecimalField(
        _("权重（分值）"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    source = models.CharField(_("数据来源"), max_length=24, choices=Source.choices, default=Source.MANUAL)
    # A manual item with no entry: not applicable (its weight shared), or zero (an 加分 item not earned).
    absent_is_zero = models.BooleanField(_("无数据时计零"), default=False)
    data_owner = optional_link(Unit, _("数据责任单位"), related_name="+")
    frequency = models.CharField(
        _("采集频次"), max_length=8, choices=Frequency.choices, default=Frequency.MONTH
    )
    description = models.TextField(_("指标说明"), blank=True)
    valid_from = models.DateField(_("生效日期"), default=date(2000, 1, 1))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    data_scope = SCHEME_SCOPE

    class Meta:
        verbose_name = _("考核指标")
        ordering = ["scheme", "level", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "key", "valid_from"], name="assessment_indicator_key_once"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.parent_id:
            if self.parent.scheme_id != self.scheme_id:
                raise ValidationError({"parent": _("上级指标应属于同一方案。")})
            self.level = self.parent.level + 1
        else:
            self.level = 1
        if self.level > 3:
            raise ValidationError({"parent": _("指标最多分三级。")})
        if self.scored and not self.formula:
            raise ValidationError({"formula": _("计分指标须选择计分方法。")})
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("失效日期不能早于生效日期。")})

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class GroupWeight(models.Model):
    """A group's own weight for an indicator (县区 and 市直部门 weigh the same work differently)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="group_weights")
    group = models.ForeignKey(UnitGroup, on_delete=models.CASCADE, related_name="weights")
    weight = models.DecimalField(
        _("权重（分值）"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )

    data_scope = SCHEME_SCOPE

    class Meta:
        verbose_name = _("分组权重")
        constraints = [models.UniqueConstraint(fields=["indicator", "group"], name="assessment_weight_once")]

    def __str__(self) -> str:
        return f"{self.group} · {self.indicator}: {self.weight}"
