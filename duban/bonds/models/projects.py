"""A project of the library and what it carries: its cash flows, debts, attachments and timeline."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule
from duban.core.concurrency import VersionedModel
from duban.core.fields import optional_link

from .choices import (
    AMOUNT,
    ZERO,
    ConstructionKind,
    ConstructionStatus,
    DebtKind,
    DocumentKind,
    ListKind,
    ProjectCategory,
    ProjectState,
    ProjectTheme,
    source_name_error,
    year_error,
)
from .parameters import BondBatch, InvestmentArea

# The rows that are part of a project (its cash flows, debts, attachments, applications): read and
# changed by whoever reads and changes the project.
PROJECT_PART = ScopeRule(
    units=("project__applying_unit",),
    programme="bonds",
    owner="project__applying_unit",
    finance_sees_all=True,
    finance_changes=True,
)

# What a unit fills in for the library (the rest is written by the transitions).
LIBRARY_FIELDS = [
    "name",
    "code",
    "applying_unit",
    "supervising_department",
    "county",
    "theme",
    "category",
    "investment_area",
    "not_on_negative_list",
    "negative_list_note",
    "construction_kind",
    "construction_content",
    "total_investment",
    "capital",
    "capital_from_bonds",
    "bond_demand",
    "term_years",
    "expected_rate",
    "income_sources",
    "market_financing",
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "construction_status",
    "performance_targets",
    "ex_ante_assessment_done",
]


class BondProject(VersionedModel):
    """A project of the library (项目库), from the reserve pool to the last yuan spent."""

    name = models.CharField(_("项目名称"), max_length=200)
    code = models.CharField(_("项目编码"), max_length=40, unique=True)
    applying_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("申报单位"),
        on_delete=models.PROTECT,
        related_name="bond_projects",
    )
    supervising_department = optional_link(
        "organisation.Unit", _("主管部门"), related_name="supervised_bond_projects"
    )
    county = optional_link("organisation.Unit", _("所属县区"), related_name="county_bond_projects")
    theme = models.CharField(_("专题"), max_length=32, choices=ProjectTheme.choices)
    category = models.CharField(
        _("债券类别"), max_length=20, choices=ProjectCategory.choices, default=ProjectCategory.GENERAL
    )
    investment_area = optional_link(
        InvestmentArea,
        _("投向领域"),
        related_name="projects",
        limit_choices_to={"list_kind": ListKind.POSITIVE},
    )
    not_on_negative_list = models.BooleanField(_("已核对不属于负面清单"), default=False)
    negative_list_note = models.CharField(_("负面清单核对说明"), max_length=200, blank=True)
    construction_kind = models.CharField(
        _("建设性质"), max_length=16, choices=ConstructionKind.choices, default=ConstructionKind.NEW
    )
    construction_content = models.TextField(_("建设内容"), blank=True)
    total_investment = models.DecimalField(
        _("总投资（万元）"), **AMOUNT, validators=[MinValueValidator(ZERO)]
    )
    capital = models.DecimalField(
        _("项目资本金（万元）"), **AMOUNT, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    capital_from_bonds = models.DecimalField(
        _("其中专项债券用作资本金（万元）"), **AMOUNT, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    bond_demand = models.DecimalField(
        _("专项债券需求（万元）"), **AMOUNT, validators=[MinValueValidator(Decimal("0.01"))]
    )
    term_years = models.PositiveSmallIntegerField(_("债券期限（年）"), default=10)
    expected_rate = models.DecimalField(
        _("预期利率"), max_digits=6, decimal_places=5, default=Decimal("0.025"), help_text=_("小数，如 0.025")
    )
    income_sources = models.JSONField(
        _("收益来源"), default=list, blank=True, help_text=_("如 停车费、租金、土地出让收入")
    )
    market_financing = models.DecimalField(
        _("市场化融资（万元）"), **AMOUNT, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    planned_start = models.DateField(_("计划开工"), null=True, blank=True)
    planned_finish = models.DateField(_("计划完工"), null=True, blank=True)
    actual_start = models.DateField(_("实际开工"), null=True, blank=True)
    actual_finish = models.DateField(_("实际完工"), null=True, blank=True)
    construction_status = models.CharField(
        _("建设状态"), max_length=20, choices=ConstructionStatus.choices, default=ConstructionStatus.PREPARING
    )
    performance_targets = models.TextField(_("绩效目标"), blank=True)
    ex_ante_assessment_done = models.BooleanField(_("已完成事前绩效评估"), default=False)

    state = models.CharField(
        _("状态"), max_length=20, choices=ProjectState.choices, default=ProjectState.POOL, db_index=True
    )
    batch = optional_link(BondBatch, _("当前批次"), related_name="projects")
    quota_allocated = models.DecimalField(_("分配额度（万元）"), **AMOUNT, default=ZERO)
    onlent_amount = models.DecimalField(_("转贷金额（万元）"), **AMOUNT, default=ZERO)
    onlent_on = models.DateField(_("转贷日期"), null=True, blank=True)
    # Running totals kept by the services, so lists and figures do not sum tranches row by row.
    issued_amount = models.DecimalField(_("已发行（万元）"), **AMOUNT, default=ZERO)
    disbursed_amount = models.DecimalField(_("已拨付（万元）"), **AMOUNT, default=ZERO)
    spent_amount = models.DecimalField(_("已支出（万元）"), **AMOUNT, default=ZERO)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    data_scope = ScopeRule(
        units=("applying_unit",),
        programme="bonds",
        shared_units=("supervising_department", "county"),
        owner="applying_unit",
        finance_sees_all=True,
        finance_changes=True,
    )

    class Meta:
        verbose_name = _("专项债券项目")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["theme"]), models.Index(fields=["applying_unit", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capital_from_bonds__lte=models.F("capital")), name="bonds_capital_from_bonds"
            ),
            models.CheckConstraint(
                condition=Q(capital__lte=models.F("total_investment")), name="bonds_capital_le_total"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if (
            self.capital is not None
            and self.total_investment is not None
            and self.capital > self.total_investment
        ):
            errors["capital"] = _("项目资本金不能超过总投资。")
        if (
            self.capital_from_bonds is not None
            and self.capital is not None
            and self.capital_from_bonds > self.capital
        ):
            errors["capital_from_bonds"] = _("用作资本金的专项债券不能超过项目资本金。")
        if self.planned_start and self.planned_finish and self.planned_finish < self.planned_start:
            errors["planned_finish"] = _("计划完工日期不能早于计划开工日期。")
        if self.actual_start and self.actual_finish and self.actual_finish < self.actual_start:
            errors["actual_finish"] = _("实际完工日期不能早于实际开工日期。")
        if not 1 <= (self.term_years or 0) <= 50:
            errors["term_years"] = _("债券期限应在 1 到 50 年之间。")
        if self.expected_rate is not None and not ZERO <= self.expected_rate <= Decimal("0.3"):
            errors["expected_rate"] = _("预期利率应为小数形式，在 0 到 0.3 之间，例如 2.5% 写作 0.025。")
        if message := source_name_error(self.income_sources or []):
            errors["income_sources"] = message
        if errors:
            raise ValidationError(errors)

    @property
    def issuance_progress(self) -> Decimal | None:
        return self.issued_amount / self.quota_allocated if self.quota_allocated else None

    @property
    def spending_progress(self) -> Decimal | None:
        return self.spent_amount / self.issued_amount if self.issued_amount else None


class CashFlowRow(models.Model):
    """One year of the income and expenditure budget (收支预算): income by source, cost and tax."""

    project = models.ForeignKey(BondProject, on_delete=models.CASCADE, related_name="cash_flows")
    year = models.PositiveIntegerField(_("年度"))
    # {source name: amount as text}: the sources are the project's own (停车费, 租金 …), not a fixed list.
    income = models.JSONField(_("收入（按来源）"), default=dict, blank=True)
    operating_cost = models.DecimalField(
        _("经营成本"), **AMOUNT, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    tax = models.DecimalField(_("税费"), **AMOUNT, default=ZERO, validators=[MinValueValidator(ZERO)])

    data_scope = PROJECT_PART

    class Meta:
        verbose_name = _("现金流量")
        ordering = ["project", "year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="bonds_cashflow_year")]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"

    def clean(self):
        errors = {}
        if message := year_error(self.year):
            errors["year"] = message
        if message := source_name_error(self.income or {}):
            errors["income"] = message
        if errors:
            raise ValidationError(errors)

    def income_amounts(self) -> dict[str, Decimal]:
        return {source: Decimal(str(amount)) for source, amount in (self.income or {}).items()}

    @property
    def revenue(self) -> Decimal:
        return sum(self.income_amounts().values(), ZERO)

    @property
    def net(self) -> Decimal:
        return self.revenue - self.operating_cost - self.tax


class ProjectDebt(models.Model):
    """A special bond (planned or issued) or a market loan, with its repayment schedule.

    `instalments` maps a calendar year (as text) to the fraction of principal repaid at its end;
    empty means a bullet at maturity (到期一次还本).
    """

    project = models.ForeignKey(BondProject, on_delete=models.CASCADE, related_name="debts")
    kind = models.CharField(_("类型"), max_length=10, choices=DebtKind.choices, default=DebtKind.BOND)
    lender = models.CharField(_("债权人/说明"), max_length=120, blank=True)
    principal = models.DecimalField(
        _("本金（万元）"), **AMOUNT, validators=[MinValueValidator(Decimal("0.01"))]
    )
    rate = models.DecimalField(_("年利率"), max_digits=6, decimal_places=5)
    issue_year = models.PositiveIntegerField(_("起始年度"))
    term_years = models.PositiveSmallIntegerField(_("期限（年）"))
    instalments = models.JSONField(_("分期还本"), default=dict, blank=True)
    is_issued = models.BooleanField(_("已发行"), default=False)
    bond_code = models.CharField(_("债券编码"), max_length=40, blank=True)
    issue_date = models.DateField(_("发行日"), null=True, blank=True)

    data_scope = PROJECT_PART

    class Meta:
        verbose_name = _("债务")
        ordering = ["project", "kind", "issue_year", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.bond_code or self.lender} {self.principal}"

    def clean(self):
        errors = {}
        if message := year_error(self.issue_year):
            errors["issue_year"] = message
        if not 1 <= (self.term_years or 0) <= 50:
            errors["term_years"] = _("期限应在 1 到 50 年之间。")
        if any(not str(year).isdigit() or year_error(int(year)) for year in (self.instalments or {})):
            errors["instalments"] = year_error(None)
        if errors:
            raise ValidationError(errors)

    @property
    def repayment_label(self) -> str:
        if not self.instalments:
            return str(_("到期一次还本"))
        return "、".join(f"{year}:{fraction}" for year, fraction in sorted(self.instalments.items()))


def document_path(instance: ProjectDocument, filename: str) -> str:
    return f"bonds/{instance.project_id}/{filename}"


class ProjectDocument(models.Model):
    project = models.ForeignKey(BondProject, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类型"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=document_path, max_length=255)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    data_scope = PROJECT_PART

    class Meta:
        verbose_name = _("项目附件")
        ordering = ["project", "kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.file.name}"


class ProjectEvent(models.Model):
    """The project's timeline: one entry per transition, with who, when, why and the figures."""

    project = models.ForeignKey(BondProject, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=20, choices=ProjectState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ProjectState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    batch = models.ForeignKey(
        BondBatch, verbose_name=_("批次"), on_delete=models.PROTECT, null=True, blank=True
    )
    note = models.TextField(_("意见/理由"), blank=True)
    amount = models.DecimalField(_("金额（万元）"), **AMOUNT, null=True, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    data_scope = ScopeRule(units=("project__applying_unit",), programme="bonds", finance_sees_all=True)

    class Meta:
        verbose_name = _("项目动态")
        ordering = ["project", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.transition}"
