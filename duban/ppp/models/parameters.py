"""The dated parameters: the lines, the classification rules and the budget figures the affordability
test and the classification read (the row in force on a day is the latest one not after it)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .common import FRACTION, MONEY, PARAMETER_SCOPE, RATE

# What the finance reviewers enter (the parameters page and the administration pages).
THRESHOLD_INPUT_FIELDS = [
    "valid_from",
    "cap",
    "warning",
    "gov_pay_gate",
    "concession_only_from",
    "budget_growth",
    "basis",
]
RULES_INPUT_FIELDS = [
    "valid_from",
    "slow_days",
    "stalled_days",
    "rectify_overdue_tasks",
    "rectify_on_major_findings",
    "rectify_on_arrears",
    "withdraw_idle_days",
    "minimum_linked_share",
]
BUDGET_INPUT_FIELDS = ["year", "expenditure", "is_actual", "note"]


class DatedParameter(models.Model):
    """A row of parameters in force from `valid_from`."""

    valid_from = models.DateField(_("生效日期"), unique=True)

    data_scope = PARAMETER_SCOPE

    class Meta:
        abstract = True
        ordering = ["-valid_from"]


class ThresholdSet(DatedParameter):
    """The affordability lines in force from a date: 10% cap (21号), 7% warning, 5% gate (财金〔2019〕10号)."""

    cap = models.DecimalField(_("红线"), **RATE, default=Decimal("0.10"), validators=FRACTION)
    warning = models.DecimalField(_("预警线"), **RATE, default=Decimal("0.07"), validators=FRACTION)
    gov_pay_gate = models.DecimalField(
        _("政府付费项目门槛"), **RATE, default=Decimal("0.05"), validators=FRACTION
    )
    concession_only_from = models.DateField(
        _("新项目仅限特许经营起始日"), null=True, blank=True, help_text=_("国办函〔2023〕115号：2023-11-03")
    )
    budget_growth = models.DecimalField(
        _("预算支出增长率"), **RATE, null=True, blank=True, help_text=_("留空则取近五年实际支出的平均增长率")
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta(DatedParameter.Meta):
        verbose_name = _("财承阈值")

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.cap}/{self.warning}/{self.gov_pay_gate}"

    def clean(self):
        if self.warning and self.cap and self.warning > self.cap:
            raise ValidationError({"warning": _("预警线不能高于红线。")})
        if self.gov_pay_gate and self.cap and self.gov_pay_gate > self.cap:
            raise ValidationError({"gov_pay_gate": _("政府付费项目门槛不能高于红线。")})


class ClassificationRules(DatedParameter):
    """The classification rules in force from a date; see `duban.ppp.classification.Rules`."""

    slow_days = models.PositiveIntegerField(_("滞后天数"), default=30)
    stalled_days = models.PositiveIntegerField(_("停滞天数"), default=180)
    rectify_overdue_tasks = models.PositiveIntegerField(_("逾期整改任务数"), default=1)
    rectify_on_major_findings = models.BooleanField(_("有未整改的重大问题即需整改"), default=True)
    rectify_on_arrears = models.BooleanField(_("存在欠付即需整改"), default=True)
    withdraw_idle_days = models.PositiveIntegerField(_("未进入执行阶段且无进展天数（拟退库）"), default=730)
    minimum_linked_share = models.DecimalField(
        _("绩效挂钩最低比例"), max_digits=5, decimal_places=4, default=Decimal("0.30"), validators=FRACTION
    )

    class Meta(DatedParameter.Meta):
        verbose_name = _("分类规则")

    def __str__(self) -> str:
        return str(self.valid_from)


class BudgetYear(models.Model):
    """General public budget expenditure (一般公共预算支出) of a year: actual, or planned in the budget."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    expenditure = models.DecimalField(_("一般公共预算支出（万元）"), **MONEY)
    is_actual = models.BooleanField(_("决算数"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    data_scope = PARAMETER_SCOPE

    class Meta:
        verbose_name = _("一般公共预算支出")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.expenditure}"
