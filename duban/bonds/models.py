"""The special-bond programme: the project library, cash flows and debts, batches, applications and the
money's way from quota to spending (finance-domain.md §1). Every [K] threshold lives in a dated row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule
from duban.core.concurrency import VersionedModel

AMOUNT = {"max_digits": 14, "decimal_places": 2}  # 万元, to the hundred yuan
ZERO = Decimal(0)


class ProjectTheme(models.TextChoices):
    """The five themes the mayor's meeting asked projects to be packaged around (a local tag)."""

    HUNDRED_CITIES = "hundred_cities", _("百城建设提质工程")
    CITY_FUNCTIONS = "city_functions", _("完善城市功能")
    RURAL_LIVING = "rural_living", _("农村人居环境整治")
    RURAL_REVITALISATION = "rural_revitalisation", _("乡村振兴")
    LIVELIHOOD = "livelihood", _("改善民生")


class ProjectCategory(models.TextChoices):
    """The bond category, which decides the coverage minimum (§1.4: land reserve and shantytowns 1.2)."""

    GENERAL = "general", _("一般项目收益专项债券")
    LAND_RESERVE = "land_reserve", _("土地储备专项债券")
    SHANTYTOWN = "shantytown", _("棚户区改造专项债券")
    TOLL_ROAD = "toll_road", _("收费公路专项债券")


class ConstructionKind(models.TextChoices):
    NEW = "new", _("新建")
    CONTINUED = "continued", _("续建")
    EXPANSION = "expansion", _("改扩建")


class ConstructionStatus(models.TextChoices):
    PREPARING = "preparing", _("前期准备")
    NOT_STARTED = "not_started", _("未开工")
    UNDER_CONSTRUCTION = "under_construction", _("在建")
    COMPLETED = "completed", _("已完工")
    OPERATING = "operating", _("已运营")


class ProjectState(models.TextChoices):
    POOL = "pool", _("储备")
    DRAFT = "draft", _("填报中")
    UNIT_REVIEW = "unit_review", _("主管部门审核")
    FINANCE_REVIEW = "finance_review", _("财政审核")
    PROVINCE_REVIEW = "province_review", _("省级审核")
    MINISTRY_REVIEW = "ministry_review", _("两部委审核")
    APPROVED = "approved", _("审核通过")
    QUOTA_ALLOCATED = "quota_allocated", _("已分配额度")
    ISSUED = "issued", _("已发行")
    ONLENT = "onlent", _("已转贷")
    DISBURSING = "disbursing", _("拨付中")
    SPENDING = "spending", _("支出中")
    SPENT = "spent", _("支出完毕")
    RETURNED = "returned", _("已退回")


class ListKind(models.TextChoices):
    POSITIVE = "positive", _("正面清单（可投向领域）")
    NEGATIVE = "negative", _("负面清单（禁止投向）")


class InvestmentArea(models.Model):
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
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    data_scope = ScopeRule(public=True)

    class Meta:
        verbose_name = _("专项债券投向领域")
        verbose_name_plural = _("专项债券投向领域")
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

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class BondRule(models.Model):
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
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
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

    data_scope = ScopeRule(public=True)

    class Meta:
        verbose_name = _("专项债券参数")
        verbose_name_plural = _("专项债券参数")
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
        verbose_name_plural = _("申报批次")
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
    supervising_department = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_bond_projects",
    )
    county = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("所属县区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="county_bond_projects",
    )
    theme = models.CharField(_("专题"), max_length=32, choices=ProjectTheme.choices)
    category = models.CharField(
        _("债券类别"), max_length=20, choices=ProjectCategory.choices, default=ProjectCategory.GENERAL
    )
    investment_area = models.ForeignKey(
        InvestmentArea,
        verbose_name=_("投向领域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
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
    batch = models.ForeignKey(
        BondBatch,
        verbose_name=_("当前批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
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
        shared_units=("supervising_department", "county"),
        owner="applying_unit",
        finance_sees_all=True,
        finance_changes=True,
    )

    class Meta:
        verbose_name = _("专项债券项目")
        verbose_name_plural = _("专项债券项目")
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

    data_scope = ScopeRule(
        units=("project__applying_unit",),
        owner="project__applying_unit",
        finance_sees_all=True,
        finance_changes=True,
    )

    class Meta:
        verbose_name = _("现金流量")
        verbose_name_plural = _("现金流量")
        ordering = ["project", "year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="bonds_cashflow_year")]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"

    def income_amounts(self) -> dict[str, Decimal]:
        return {source: Decimal(str(amount)) for source, amount in (self.income or {}).items()}

    @property
    def revenue(self) -> Decimal:
        return sum(self.income_amounts().values(), ZERO)

    @property
    def net(self) -> Decimal:
        return self.revenue - self.operating_cost - self.tax


class DebtKind(models.TextChoices):
    BOND = "bond", _("专项债券")
    MARKET = "market", _("市场化融资")


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

    data_scope = ScopeRule(
        units=("project__applying_unit",),
        owner="project__applying_unit",
        finance_sees_all=True,
        finance_changes=True,
    )

    class Meta:
        verbose_name = _("债务")
        verbose_name_plural = _("债务")
        ordering = ["project", "kind", "issue_year", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.bond_code or self.lender} {self.principal}"

    @property
    def repayment_label(self) -> str:
        if not self.instalments:
            return str(_("到期一次还本"))
        return "、".join(f"{year}:{fraction}" for year, fraction in sorted(self.instalments.items()))


class DocumentKind(models.TextChoices):
    IMPLEMENTATION_PLAN = "implementation_plan", _("实施方案")
    FINANCIAL_ASSESSMENT = "financial_assessment", _("财务评估报告")
    LEGAL_OPINION = "legal_opinion", _("法律意见书")
    FEASIBILITY_APPROVAL = "feasibility_approval", _("项目建议书/可研及批复")
    FUND_APPLICATION = "fund_application", _("资金申请报告")
    BALANCE_PLAN = "balance_plan", _("收益与融资平衡方案")
    LAND_APPROVAL = "land_approval", _("用地预审与选址意见书")
    EIA_APPROVAL = "eia_approval", _("环评批复")
    SOIL_WATER_APPROVAL = "soil_water_approval", _("水土保持方案批复")
    PERFORMANCE_TARGETS = "performance_targets", _("绩效目标表")
    OTHER = "other", _("其他材料")


# 一案两书 first, then the approvals practitioners list (finance-domain.md §1.3).
REQUIRED_DOCUMENTS = [
    DocumentKind.IMPLEMENTATION_PLAN,
    DocumentKind.FINANCIAL_ASSESSMENT,
    DocumentKind.LEGAL_OPINION,
    DocumentKind.FEASIBILITY_APPROVAL,
    DocumentKind.FUND_APPLICATION,
    DocumentKind.BALANCE_PLAN,
    DocumentKind.LAND_APPROVAL,
    DocumentKind.EIA_APPROVAL,
    DocumentKind.SOIL_WATER_APPROVAL,
    DocumentKind.PERFORMANCE_TARGETS,
]


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

    data_scope = ScopeRule(
        units=("project__applying_unit",),
        owner="project__applying_unit",
        finance_sees_all=True,
        finance_changes=True,
    )

    class Meta:
        verbose_name = _("项目附件")
        verbose_name_plural = _("项目附件")
        ordering = ["project", "kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.file.name}"


class ApplicationOutcome(models.TextChoices):
    PENDING = "pending", _("审核中")
    APPROVED = "approved", _("通过")
    RETURNED = "returned", _("退回")


class BondApplication(models.Model):
    """One submission of a project in one batch; a returned project resubmits in a later batch."""

    project = models.ForeignKey(BondProject, on_delete=models.CASCADE, related_name="applications")
    batch = models.ForeignKey(BondBatch, on_delete=models.PROTECT, related_name="applications")
    applied_amount = models.DecimalField(_("申请金额（万元）"), **AMOUNT)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=ApplicationOutcome.choices, default=ApplicationOutcome.PENDING
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_at = models.DateTimeField(_("审核完成时间"), null=True, blank=True)
    returned_at_state = models.CharField(
        _("退回环节"), max_length=20, choices=ProjectState.choices, blank=True
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    allocated_amount = models.DecimalField(_("分配金额（万元）"), **AMOUNT, default=ZERO)
    allocated_on = models.DateField(_("分配日期"), null=True, blank=True)

    data_scope = ScopeRule(
        units=("project__applying_unit",),
        owner="project__applying_unit",
        finance_sees_all=True,
        finance_changes=True,
    )

    class Meta:
        verbose_name = _("申报记录")
        verbose_name_plural = _("申报记录")
        ordering = ["-submitted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["project", "batch"], name="bonds_application_once")]

    def __str__(self) -> str:
        return f"{self.project} · {self.batch}"


class Disbursement(models.Model):
    """A tranche of bond money paid to the project (资金拨付)."""

    project = models.ForeignKey(BondProject, on_delete=models.CASCADE, related_name="disbursements")
    paid_on = models.DateField(_("拨付日期"))
    amount = models.DecimalField(_("金额（万元）"), **AMOUNT, validators=[MinValueValidator(Decimal("0.01"))])
    note = models.CharField(_("说明"), max_length=200, blank=True)

    data_scope = ScopeRule(
        units=("project__applying_unit",), owner="", finance_sees_all=True, finance_changes=True
    )

    class Meta:
        verbose_name = _("资金拨付")
        verbose_name_plural = _("资金拨付")
        ordering = ["project", "paid_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.paid_on} {self.amount}"


class Spending(models.Model):
    """Money spent on the works (支出, 形成实物工作量)."""

    project = models.ForeignKey(BondProject, on_delete=models.CASCADE, related_name="spendings")
    spent_on = models.DateField(_("支出日期"))
    amount = models.DecimalField(_("金额（万元）"), **AMOUNT, validators=[MinValueValidator(Decimal("0.01"))])
    note = models.CharField(_("说明"), max_length=200, blank=True)

    data_scope = ScopeRule(
        units=("project__applying_unit",), owner="", finance_sees_all=True, finance_changes=True
    )

    class Meta:
        verbose_name = _("资金支出")
        verbose_name_plural = _("资金支出")
        ordering = ["project", "spent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.spent_on} {self.amount}"


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
        verbose_name_plural = _("支出进度目标")
        ordering = ["year", "month"]
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="bonds_target_month")]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.target_ratio}"


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

    data_scope = ScopeRule(units=("project__applying_unit",), finance_sees_all=True)

    class Meta:
        verbose_name = _("项目动态")
        verbose_name_plural = _("项目动态")
        ordering = ["project", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.transition}"
