"""Supervision incentives (督查激励): the State Council's measures as dated data, and the city's
campaign for each measure it can win — criteria, standing, evidence, timeline and outcome.

A campaign is carried by a directive of the theme 督查激励 (lights, reminders, weekly reporting and
the ranking apply to it); the directive is reached through the directives app's selectors and services.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule
from duban.core.concurrency import VersionedModel
from duban.core.fields import optional_link, weak_link
from duban.organisation.models import Leader, Unit

MONEY = {"max_digits": 14, "decimal_places": 2}


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


LEVEL_VALUES = set(Level.values)

# The catalogue is read by every signed-in user and changed by the office only (no owner).
CATALOGUE_SCOPE = ScopeRule(public=True)
# A campaign belongs to its lead unit (and the county it is run for); every city leader reads all.
CAMPAIGN_SCOPE = ScopeRule(units=("lead_unit", "county"), owner="lead_unit", leaders_see_all=True)


def part_scope(prefix: str) -> ScopeRule:
    return ScopeRule(
        units=(f"{prefix}__lead_unit", f"{prefix}__county"),
        owner=f"{prefix}__lead_unit",
        leaders_see_all=True,
    )


class MeasureList(models.Model):
    """A published list of measures (e.g. 国办发〔2018〕117号)."""

    code = models.CharField(_("文号"), max_length=40, unique=True)
    title = models.CharField(_("文件名称"), max_length=200)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    measure_count = models.PositiveSmallIntegerField(_("措施条数"), default=0)
    source_url = models.URLField(_("来源网址"), max_length=400, blank=True)

    data_scope = CATALOGUE_SCOPE

    class Meta:
        verbose_name = _("激励措施清单")
        ordering = ["-issued_on", "code"]

    def __str__(self) -> str:
        return self.code


class Measure(VersionedModel):
    """One measure of a list: what is rewarded, at which level, by which ministry, with what."""

    measure_list = models.ForeignKey(
        MeasureList, verbose_name=_("清单"), on_delete=models.PROTECT, related_name="measures"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    area = models.CharField(_("政策领域"), max_length=40)
    title = models.CharField(_("激励事项"), max_length=300)
    levels = models.JSONField(_("激励层级"), default=list, help_text=_("省级、市级、县级"))
    ministry = models.CharField(_("负责部门"), max_length=80)
    reward = models.CharField(_("激励措施"), max_length=300, blank=True)
    source_url = models.URLField(_("来源网址"), max_length=400, blank=True)
    verified = models.BooleanField(_("已核对原文"), default=False)
    verification_note = models.CharField(_("核对说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    data_scope = CATALOGUE_SCOPE

    class Meta:
        verbose_name = _("激励措施")
        ordering = ["measure_list", "number"]
        constraints = [
            models.UniqueConstraint(fields=["measure_list", "number"], name="incentive_measure_number")
        ]

    def __str__(self) -> str:
        return f"{self.measure_list.code} 第{self.number}项 {self.area}"

    def clean(self):
        if not isinstance(self.levels, list) or not self.levels or set(self.levels) - LEVEL_VALUES:
            raise ValidationError({"levels": _("激励层级须为省级、市级、县级中的一项或几项。")})

    @property
    def level_labels(self) -> str:
        labels = dict(Level.choices)
        return "、".join(str(labels[v]) for v in Level.values if v in self.levels)

    @property
    def applies_to(self) -> str:
        """Whom the city can win it for: the city itself, its counties, or both."""
        city, county = Level.CITY in self.levels, Level.COUNTY in self.levels
        if city and county:
            return _("市本级和所辖县区")
        if city:
            return _("市本级")
        if county:
            return _("所辖县区")
        return _("仅省级（市里配合）")


class CampaignState(models.TextChoices):
    PREPARING = "preparing", _("争创中")
    SUBMITTED = "submitted", _("已申报")
    COMMENDED = "commended", _("获得激励")
    NOT_COMMENDED = "not_commended", _("未获激励")


DECIDED = (CampaignState.COMMENDED, CampaignState.NOT_COMMENDED)


class Outcome(models.TextChoices):
    """A campaign's outcome as the API names it."""

    PENDING = "pending", _("尚无结果")
    COMMENDED = "commended", _("获得激励")
    NOT_COMMENDED = "not_commended", _("未获激励")


class Campaign(VersionedModel):
    """The city's campaign for one measure in one evaluation year."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("激励措施"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("评价年度"), validators=[MinValueValidator(2016)])
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    county = optional_link(Unit, _("争创县区"), related_name="+", help_text=_("为所辖县区争创时填写"))
    leader = optional_link(Leader, _("责任领导"), related_name="+")
    state = models.CharField(
        _("状态"), max_length=16, choices=CampaignState.choices, default=CampaignState.PREPARING
    )
    directive = optional_link(
        "directives.Directive", _("督办事项"), related_name="+", on_delete=models.SET_NULL
    )
    period_start = models.DateField(_("评价期起"))
    period_end = models.DateField(_("评价期止"))
    submission_due = models.DateField(_("部委推荐截止"))
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    announced_on = models.DateField(_("通报日期"), null=True, blank=True)
    reward = models.CharField(_("获得奖励"), max_length=300, blank=True)
    reward_amount = models.DecimalField(_("奖励金额（万元）"), **MONEY, null=True, blank=True)
    province_reward = models.CharField(_("省配套激励"), max_length=300, blank=True)
    province_amount = models.DecimalField(_("省配套金额（万元）"), **MONEY, null=True, blank=True)
    outcome_note = models.CharField(_("结果说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    data_scope = CAMPAIGN_SCOPE

    class Meta:
        verbose_name = _("激励争创")
        ordering = ["-year", "submission_due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "year", "county"], name="incentive_campaign_unique"),
            models.UniqueConstraint(
                fields=["measure", "year"],
                condition=models.Q(county__isnull=True),
                name="incentive_campaign_city_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.measure.area}"

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("评价期止不能早于评价期起。")})

    @property
    def decided(self) -> bool:
        return self.state in DECIDED

    @property
    def outcome(self) -> str:
        return {
            CampaignState.COMMENDED: Outcome.COMMENDED,
            CampaignState.NOT_COMMENDED: Outcome.NOT_COMMENDED,
        }.get(self.state, Outcome.PENDING)

    @property
    def total_amount(self) -> Decimal:
        return (self.reward_amount or Decimal(0)) + (self.province_amount or Decimal(0))


class LiveSource(models.TextChoices):
    NONE = "", _("（手工填报）")
    BOND_ISSUANCE = "bond_issuance", _("专项债券发行进度（已发行÷额度）")
    BOND_SPENDING = "bond_spending", _("专项债券支出进度（已支出÷已发行）")
    PPP_GOOD_RATE = "ppp_good_rate", _("PPP项目履约良好率（已评定审查中）")
    DIRECTIVE_CLOSURE = "directive_closure", _("督办事项办结率")


class Criterion(VersionedModel):
    """One thing the ministry judges on (from its implementing rules), with the city's standing."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    text = models.CharField(_("评价指标"), max_length=300)
    source = models.CharField(_("依据（部委实施办法）"), max_length=300)
    source_url = models.URLField(_("依据网址"), max_length=400, blank=True)
    target = models.CharField(_("目标要求"), max_length=200, blank=True)
    standing = models.TextField(_("当前情况"), blank=True)
    live_source = models.CharField(_("实时数据来源"), max_length=24, choices=LiveSource.choices, blank=True)
    target_ratio = models.DecimalField(
        _("目标值（比例）"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    recorded_value = models.DecimalField(_("记录值"), max_digits=12, decimal_places=4, null=True, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    data_scope = part_scope("campaign")

    class Meta:
        verbose_name = _("评价指标")
        ordering = ["campaign", "order", "id"]

    def __str__(self) -> str:
        return self.text


class Evidence(models.Model):
    """A piece of the dossier's evidence (材料); each upload is a new version."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="evidence")
    criterion = optional_link(Criterion, _("对应指标"), related_name="evidence", on_delete=models.SET_NULL)
    title = models.CharField(_("材料名称"), max_length=200)

    data_scope = part_scope("campaign")

    class Meta:
        verbose_name = _("申报材料")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "title"], name="incentive_evidence_title")]

    def __str__(self) -> str:
        return self.title


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    return f"incentives/{instance.evidence.campaign_id}/{instance.evidence_id}/v{instance.version}/{filename}"


class EvidenceFile(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveSmallIntegerField(_("版本"))
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=255)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = weak_link(settings.AUTH_USER_MODEL, _("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    data_scope = part_scope("evidence__campaign")

    class Meta:
        verbose_name = _("材料文件")
        ordering = ["evidence", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "version"], name="incentive_evidence_version")
        ]

    def __str__(self) -> str:
        return f"{self.evidence} v{self.version}"

    @property
    def file_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class CampaignEvent(models.Model):
    """The campaign's timeline: one entry per step, with who and when."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=24)
    text = models.CharField(_("内容"), max_length=500)
    by = weak_link(settings.AUTH_USER_MODEL, _("操作人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    data_scope = part_scope("campaign")

    class Meta:
        verbose_name = _("争创记录")
        ordering = ["campaign", "-at", "-id"]

    def __str__(self) -> str:
        return self.text
