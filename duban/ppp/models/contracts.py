"""A project's contracts and what they commit the parties to: the payment rule, the payments by year and
the obligations (with their life cycle in `workflow.OBLIGATIONS`)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..payments import PerformancePaymentRule, ScoreBand
from .common import FRACTION, MONEY, project_scope
from .projects import PPPProject

CONTRACT_INPUT_FIELDS = ["kind", "number", "title", "signed_on", "parties", "term_years", "amount", "summary"]
PAYMENT_RULE_INPUT_FIELDS = [
    "formula",
    "full_payment_score",
    "bands",
    "linked_share",
    "annual_construction_payment",
    "annual_operating_payment",
    "fixed_return",
]
OBLIGATION_INPUT_FIELDS = ["side", "kind", "title", "due_on", "amount", "note"]


class Contract(models.Model):
    class Kind(models.TextChoices):
        MAIN = "main", _("PPP项目合同")
        CONCESSION = "concession", _("特许经营协议")
        SUPPLEMENT = "supplement", _("补充协议")

    project = models.ForeignKey(PPPProject, on_delete=models.CASCADE, related_name="contracts")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("合同编号"), max_length=60, blank=True)
    title = models.CharField(_("合同名称"), max_length=200)
    signed_on = models.DateField(_("签订日期"))
    parties = models.CharField(_("签约方"), max_length=300, blank=True)
    term_years = models.PositiveSmallIntegerField(_("合作期限（年）"), null=True, blank=True)
    amount = models.DecimalField(_("合同金额（万元）"), **MONEY, null=True, blank=True)
    summary = models.TextField(_("主要内容/变更事项"), blank=True)
    document = models.FileField(_("合同文本"), upload_to="ppp/contracts/%Y/", blank=True)

    data_scope = project_scope("project", owner=False)

    class Meta:
        verbose_name = _("项目合同")
        ordering = ["project", "signed_on", "id"]

    def __str__(self) -> str:
        return self.title


class PaymentRule(models.Model):
    """The contract's payment formula: the performance score sets the coefficient applied to the year's amount."""

    class Formula(models.TextChoices):
        SCORE = "score", _("全额×绩效系数")
        LINKED_70_30 = "linked", _("建设成本部分挂钩（R1×C×(1−s)+R2×(O+C×s)）")

    project = models.OneToOneField(PPPProject, on_delete=models.CASCADE, related_name="payment_rule")
    formula = models.CharField(_("付费公式"), max_length=12, choices=Formula.choices, default=Formula.SCORE)
    full_payment_score = models.DecimalField(
        _("全额付费分数线"), max_digits=5, decimal_places=2, default=Decimal(80)
    )
    bands = models.JSONField(
        _("分数段系数"),
        default=list,
        blank=True,
        help_text=_('如 [{"min_score": 60, "coefficient": 0.9}, {"min_score": 0, "coefficient": 0.7}]'),
    )
    linked_share = models.DecimalField(
        _("与运营绩效挂钩比例"), max_digits=5, decimal_places=4, default=Decimal("0.30"), validators=FRACTION
    )
    annual_construction_payment = models.DecimalField(
        _("年度可用性付费（万元）"), **MONEY, default=Decimal(0)
    )
    annual_operating_payment = models.DecimalField(_("年度运维绩效付费（万元）"), **MONEY, default=Decimal(0))
    fixed_return = models.BooleanField(_("存在固定回报或保底承诺"), default=False)

    data_scope = project_scope("project", owner=False)

    class Meta:
        verbose_name = _("付费规则")

    def __str__(self) -> str:
        return f"{self.project} · {self.get_formula_display()}"

    def performance(self) -> PerformancePaymentRule:
        """The pure-maths rule of the bands (raises AffordabilityInputError on a bad band)."""
        return PerformancePaymentRule(
            full_payment_score=self.full_payment_score,
            bands=[
                ScoreBand(min_score=Decimal(str(b["min_score"])), coefficient=Decimal(str(b["coefficient"])))
                for b in self.bands or []
            ],
        )

    def clean(self):
        try:
            self.performance()
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            raise ValidationError({"bands": _("分数段系数格式有误：%(error)s") % {"error": error}}) from error


class PaymentYear(models.Model):
    """A year's government payment: performance score, amount due, budgeted and paid (arrears, overpayment)."""

    project = models.ForeignKey(PPPProject, on_delete=models.CASCADE, related_name="payment_years")
    year = models.PositiveSmallIntegerField(_("年度"))
    score = models.DecimalField(_("绩效得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    coefficient = models.DecimalField(_("付费系数"), max_digits=5, decimal_places=4, null=True, blank=True)
    due = models.DecimalField(_("应付（万元）"), **MONEY, default=Decimal(0))
    budgeted = models.DecimalField(_("预算安排（万元）"), **MONEY, default=Decimal(0))
    paid = models.DecimalField(_("实际支付（万元）"), **MONEY, default=Decimal(0))

    data_scope = project_scope("project", owner=False)

    class Meta:
        verbose_name = _("年度付费")
        ordering = ["project", "year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="ppp_payment_year_unique")]

    def __str__(self) -> str:
        return f"{self.project} · {self.year}"

    @property
    def arrears(self) -> Decimal:
        return max(Decimal(0), self.due - self.paid)

    @property
    def overpayment(self) -> Decimal:
        return max(Decimal(0), self.paid - self.due)


class Obligation(models.Model):
    class Side(models.TextChoices):
        GOVERNMENT = "government", _("政府方")
        SOCIAL = "social", _("社会资本方")

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("政府付费")
        ASSESSMENT = "assessment", _("绩效考核")
        MILESTONE = "milestone", _("建设节点")
        CAPITAL = "capital", _("资本金到位")
        FINANCING = "financing", _("融资到位")
        INSURANCE = "insurance", _("保险")
        REPORTING = "reporting", _("报告")
        MID_TERM = "mid_term", _("中期评估")
        HANDOVER = "handover", _("移交")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        OPEN = "open", _("待履行")
        FULFILLED = "fulfilled", _("已履行")
        BREACHED = "breached", _("违约")
        WAIVED = "waived", _("已豁免")

    # Still owed: the timetable shows them, and past their date they make a project late.
    PENDING = (State.OPEN, State.BREACHED)

    project = models.ForeignKey(PPPProject, on_delete=models.CASCADE, related_name="obligations")
    side = models.CharField(_("义务方"), max_length=12, choices=Side.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("内容"), max_length=300)
    due_on = models.DateField(_("到期日"))
    amount = models.DecimalField(_("金额（万元）"), **MONEY, null=True, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.OPEN)
    done_on = models.DateField(_("履行日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    data_scope = project_scope("project")

    class Meta:
        verbose_name = _("合同义务")
        ordering = ["project", "due_on", "id"]

    def __str__(self) -> str:
        return self.title
