"""The programme's configurable, dated parameters and calendars: the investment-area code table, the
thresholds ([K] facts of finance-domain.md §1), application batches and the monthly spending targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule

from .choices import ListKind, ProjectCategory


class DatedQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        """The rows in force on the day."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class Dated(models.Model):
    """A row in force from one date (to another, or until further notice): policy changes by date."""

    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)

    data_scope = ScopeRule(public=True)
    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class InvestmentArea(Dated):
    """A row of the dated code table of investment areas (投向领域, §1.2).

    Before 2025 a project must name an area of the positive list valid on its application date; from
    2025 anything not on the negative list may apply, so negative rows are what the check looks at.
    """

    code = models.CharField(_("代码"), max_length=16)
    name = models.CharField(_("名称"), max_length=80)
    list_kind = models.CharField(
        _("清单"), max_length=16, choices=ListKind.choices, default=ListKind.POSITIVE
    )
    capital_use_allowed = models.BooleanField(_("可用作项目资本金"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专项债券投向领域")
        ordering = ["list_kind", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["list_kind", "code", "valid_from"], name="bonds_area_code_from"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="bonds_area_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BondRule(Dated):
    """The dated, configurable thresholds of the programme ([K] facts of finance-domain.md §1).

    The most specific row valid on a date wins: a province's row over the national one (province ""),
    a category's over the all-categories one (category "").
    """

    province = models.CharField(_("省份"), max_length=20, blank=True, help_text=_("留空表示全国通用"))
    category = models.CharField(
        _("债券类别"),
        max_length=20,
        choices=ProjectCategory.choices,
        blank=True,
        help_text=_("留空表示所有类别"),
    )
    min_coverage = models.DecimalField(
        _("全部债务本息覆盖倍数下限"), max_digits=6, decimal_places=3, default=Decimal("1.1")
    )
    min_bond_coverage = models.DecimalField(
        _("专项债券本息覆盖倍数下限"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    max_plausible_coverage = models.DecimalField(
        _("本息覆盖倍数合理上限"), max_digits=6, decimal_places=3, default=Decimal("3")
    )
    capital_bond_cap = models.DecimalField(
        _("专项债券用作资本金比例上限"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.25"),
        help_text=_("占项目使用专项债券资金的比例，如 0.25 或 0.30"),
    )
    list_kind = models.CharField(
        _("投向领域管理方式"), max_length=16, choices=ListKind.choices, default=ListKind.POSITIVE
    )
    self_review = models.BooleanField(_("自审自发试点（省级审核即通过）"), default=False)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专项债券参数")
        ordering = ["province", "category", "-valid_from"]

    def __str__(self) -> str:
        return (
            f"{self.province or _('全国')} {self.get_category_display() or _('所有类别')} {self.valid_from}"
        )


class BondBatch(models.Model):
    """An application batch (申报批次): a quarter under the 2024 rules, or any configured date range."""

    name = models.CharField(_("批次名称"), max_length=60, unique=True)
    year = models.PositiveIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), null=True, blank=True)
    opens_on = models.DateField(_("申报开始"))
    closes_on = models.DateField(_("申报截止"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    data_scope = ScopeRule(public=True)

    class Meta:
        verbose_name = _("申报批次")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="bonds_batch_dates")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("申报截止日期不能早于开始日期。")})
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValidationError({"quarter": _("季度应为 1 到 4。")})


class SpendingTarget(models.Model):
    """The city's target for cumulative spending progress (spent ÷ issued) by the end of a month."""

    year = models.PositiveIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    target_ratio = models.DecimalField(
        _("累计支出进度目标"), max_digits=5, decimal_places=4, help_text=_("小数，如 0.6 表示 60%")
    )

    data_scope = ScopeRule(public=True)

    class Meta:
        verbose_name = _("支出进度目标")
        ordering = ["year", "month"]
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="bonds_target_month")]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.target_ratio}"
