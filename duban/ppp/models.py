"""The PPP programme: projects by phase, contracts and obligations, the performance review, classification,
and the dated parameters (thresholds, classification rules, budget figures) the affordability test uses.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule
from duban.core.concurrency import VersionedModel
from duban.organisation.models import Unit

from .checklist import Section
from .classification import ProjectClass
from .steps import STEP_BY_CODE, STEP_CHOICES, Path, Phase

MONEY = {"max_digits": 16, "decimal_places": 2}
RATE = {"max_digits": 7, "decimal_places": 4}
FRACTION = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]

# Projects: the implementing agency's liaisons update progress; the county sees its own; the finance
# reviewers and the office change everything.
PROJECT_SCOPE = ScopeRule(
    units=("implementing_agency", "line_department", "county"),
    owner="implementing_agency",
    finance_sees_all=True,
    finance_changes=True,
)


def _project_scope(prefix: str, *, owner: bool = True) -> ScopeRule:
    return ScopeRule(
        units=tuple(f"{prefix}__{path}" for path in PROJECT_SCOPE.units),
        owner=f"{prefix}__implementing_agency" if owner else "",
        finance_sees_all=True,
        finance_changes=True,
    )


class Sector(models.TextChoices):
    TRANSPORT = "transport", _("交通运输")
    MUNICIPAL = "municipal", _("市政工程")
    ENVIRONMENT = "environment", _("生态建设和环境保护")
    WATER = "water", _("水利建设")
    EDUCATION = "education", _("教育")
    HEALTH = "health", _("医疗卫生")
    ELDERLY = "elderly", _("养老")
    CULTURE = "culture", _("文化")
    SPORTS = "sports", _("体育")
    HOUSING = "housing", _("保障性安居工程")
    URBAN = "urban", _("城镇综合开发")
    TOURISM = "tourism", _("旅游")
    AGRICULTURE = "agriculture", _("农业")
    ENERGY = "energy", _("能源")
    GOVERNMENT = "government", _("政府基础设施")
    OTHER = "other", _("其他")


class OperationMode(models.TextChoices):
    BOT = "BOT", _("建设-运营-移交（BOT）")
    BOOT = "BOOT", _("建设-拥有-运营-移交（BOOT）")
    BOO = "BOO", _("建设-拥有-运营（BOO）")
    TOT = "TOT", _("转让-运营-移交（TOT）")
    ROT = "ROT", _("改建-运营-移交（ROT）")
    TOT_BOT = "TOT+BOT", _("TOT+BOT")
    OM = "O&M", _("委托运营（O&M）")
    MC = "MC", _("管理合同（MC）")
    OTHER = "other", _("其他")


class Mechanism(models.TextChoices):
    """The three return mechanisms (回报机制); values match `affordability.PaymentMechanism`."""

    USER_PAY = "user_pay", _("使用者付费")
    VIABILITY_GAP = "viability_gap", _("可行性缺口补助")
    GOVERNMENT_PAY = "government_pay", _("政府付费")


class ClassChoice(models.TextChoices):
    """Labels of `classification.ProjectClass`, the same values."""

    NORMAL = ProjectClass.NORMAL.value, _("正常推进")
    SLOW = ProjectClass.SLOW.value, _("进度滞后")
    STALLED = ProjectClass.STALLED.value, _("停滞")
    RECTIFY = ProjectClass.RECTIFY.value, _("需整改")
    WITHDRAW = ProjectClass.WITHDRAW.value, _("拟退库")


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", _("在库")
    WITHDRAWN = "withdrawn", _("已退库")


class PPPProject(VersionedModel):
    code = models.CharField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    sector = models.CharField(_("所属行业"), max_length=24, choices=Sector.choices)
    implementing_agency = models.ForeignKey(
        Unit, verbose_name=_("实施机构"), on_delete=models.PROTECT, related_name="ppp_implemented"
    )
    line_department = models.ForeignKey(
        Unit,
        verbose_name=_("行业主管部门"),
        on_delete=models.PROTECT,
        related_name="ppp_supervised",
        null=True,
        blank=True,
    )
    county = models.ForeignKey(
        Unit,
        verbose_name=_("所属县区"),
        on_delete=models.PROTECT,
        related_name="ppp_projects",
        null=True,
        blank=True,
        help_text=_("市本级项目留空"),
    )
    operation_mode = models.CharField(_("运作方式"), max_length=12, choices=OperationMode.choices)
    mechanism = models.CharField(_("回报机制"), max_length=20, choices=Mechanism.choices)
    path = models.CharField(_("实施路径"), max_length=20, choices=Path.choices, default=Path.GUIDE_113)
    phase = models.CharField(
        _("所处阶段"), max_length=20, choices=Phase.choices, default=Phase.IDENTIFICATION, editable=False
    )
    current_step = models.CharField(
        _("当前步骤"), max_length=8, choices=STEP_CHOICES, blank=True, editable=False
    )
    total_investment = models.DecimalField(_("总投资（万元）"), **MONEY)
    construction_cost = models.DecimalField(_("建设成本（万元）"), **MONEY, null=True, blank=True)
    project_capital = models.DecimalField(_("项目资本金（万元）"), **MONEY, null=True, blank=True)
    cooperation_years = models.PositiveSmallIntegerField(
        _("合作期限（年）"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    construction_years = models.PositiveSmallIntegerField(_("建设期（年）"), default=2)
    spv_name = models.CharField(_("项目公司"), max_length=200, blank=True)
    spv_established_on = models.DateField(_("项目公司成立日期"), null=True, blank=True)
    in_library = models.BooleanField(_("已入库"), default=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    counted_in_affordability = models.BooleanField(
        _("纳入财承测算"), default=True, help_text=_("尚未批准的拟新增项目不计入，用“新增项目测算”检验。")
    )

    # Inputs to the four kinds of expenditure responsibility (财金〔2015〕21号).
    profit_rate = models.DecimalField(_("合理利润率"), **RATE, null=True, blank=True, validators=FRACTION)
    discount_rate = models.DecimalField(_("年度折现率"), **RATE, null=True, blank=True, validators=FRACTION)
    subsidy_years = models.PositiveSmallIntegerField(_("补贴期限（年）"), null=True, blank=True)
    operation_start_year = models.PositiveSmallIntegerField(_("运营起始年度"), null=True, blank=True)
    annual_operating_cost = models.DecimalField(_("年度运营成本（万元）"), **MONEY, default=Decimal(0))
    annual_user_fees = models.DecimalField(_("年度使用者付费（万元）"), **MONEY, default=Decimal(0))
    psc = models.DecimalField(_("公共部门比较值PSC（万元）"), **MONEY, null=True, blank=True)

    # The class (分类施策): the rules' result, and the office's override when there is one.
    computed_class = models.CharField(
        _("规则分类"), max_length=12, choices=ClassChoice.choices, default=ClassChoice.NORMAL
    )
    computed_reasons = models.JSONField(_("分类依据"), default=list, blank=True)
    override_class = models.CharField(_("人工分类"), max_length=12, choices=ClassChoice.choices, blank=True)
    override_reason = models.TextField(_("人工分类理由"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("调整人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    override_at = models.DateTimeField(_("调整时间"), null=True, blank=True)
    project_class = models.CharField(
        _("分类"), max_length=12, choices=ClassChoice.choices, default=ClassChoice.NORMAL, db_index=True
    )
    classified_at = models.DateTimeField(_("分类时间"), null=True, blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    modified_at = models.DateTimeField(_("修改时间"), auto_now=True)

    data_scope = PROJECT_SCOPE

    class Meta:
        verbose_name = _("PPP项目")
        verbose_name_plural = _("PPP项目")
        ordering = ["code"]
        indexes = [models.Index(fields=["phase", "project_class"])]

    def __str__(self) -> str:
        return self.name

    @property
    def pays_subsidy(self) -> bool:
        return self.mechanism != Mechanism.USER_PAY

    @property
    def current_step_name(self) -> str:
        step = STEP_BY_CODE.get(self.current_step)
        return str(step.name) if step else ""

    def clean(self):
        if self.construction_cost is not None and self.construction_cost > self.total_investment:
            raise ValidationError({"construction_cost": _("建设成本不能大于总投资。")})
        if self.mechanism == Mechanism.GOVERNMENT_PAY and self.annual_user_fees:
            raise ValidationError(
                {"annual_user_fees": _("政府付费项目没有使用者付费，请改为可行性缺口补助。")}
            )


class Shareholder(models.Model):
    class Side(models.TextChoices):
        GOVERNMENT = "government", _("政府方出资代表")
        SOCIAL = "social", _("社会资本方")

    project = models.ForeignKey(PPPProject, on_delete=models.CASCADE, related_name="shareholders")
    name = models.CharField(_("股东名称"), max_length=200)
    side = models.CharField(_("类别"), max_length=12, choices=Side.choices)
    share = models.DecimalField(_("持股比例"), max_digits=5, decimal_places=4, validators=FRACTION)
    capital = models.DecimalField(_("认缴出资（万元）"), **MONEY, default=Decimal(0))

    data_scope = _project_scope("project", owner=False)

    class Meta:
        verbose_name = _("项目公司股东")
        verbose_name_plural = _("项目公司股东")
        ordering = ["project", "-share"]

    def __str__(self) -> str:
        return self.name


class ProjectStep(models.Model):
    """One step of the project's path, with its planned and actual dates and its document."""

    project = models.ForeignKey(PPPProject, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("步骤"), max_length=8, choices=STEP_CHOICES)
    order = models.PositiveSmallIntegerField(_("顺序"))
    phase = models.CharField(_("阶段"), max_length=20, choices=Phase.choices)
    planned_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    document_title = models.CharField(_("文件名称/文号"), max_length=200, blank=True)
    document = models.FileField(_("文件"), upload_to="ppp/steps/%Y/", blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)

    data_scope = _project_scope("project")

    class Meta:
        verbose_name = _("项目步骤")
        verbose_name_plural = _("项目步骤")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="ppp_step_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(STEP_BY_CODE[self.code].name)

    @property
    def documents(self):
        return STEP_BY_CODE[self.code].documents


class ProjectEvent(models.Model):
    """The project's timeline: every state change, by whom and when."""

    project = models.ForeignKey(PPPProject, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(_("类型"), max_length=32)
    text = models.CharField(_("内容"), max_length=500)

    data_scope = _project_scope("project", owner=False)

    class Meta:
        verbose_name = _("项目动态")
        verbose_name_plural = _("项目动态")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.text


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

    data_scope = _project_scope("project", owner=False)

    class Meta:
        verbose_name = _("项目合同")
        verbose_name_plural = _("项目合同")
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

    data_scope = _project_scope("project", owner=False)

    class Meta:
        verbose_name = _("付费规则")
        verbose_name_plural = _("付费规则")

    def __str__(self) -> str:
        return f"{self.project} · {self.get_formula_display()}"

    def clean(self):
        from .payments import PerformancePaymentRule, ScoreBand

        try:
            PerformancePaymentRule(
                full_payment_score=self.full_payment_score,
                bands=[
                    ScoreBand(
                        min_score=Decimal(str(b["min_score"])), coefficient=Decimal(str(b["coefficient"]))
                    )
                    for b in self.bands or []
                ],
            )
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

    data_scope = _project_scope("project", owner=False)

    class Meta:
        verbose_name = _("年度付费")
        verbose_name_plural = _("年度付费")
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

    project = models.ForeignKey(PPPProject, on_delete=models.CASCADE, related_name="obligations")
    side = models.CharField(_("义务方"), max_length=12, choices=Side.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("内容"), max_length=300)
    due_on = models.DateField(_("到期日"))
    amount = models.DecimalField(_("金额（万元）"), **MONEY, null=True, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.OPEN)
    done_on = models.DateField(_("履行日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    data_scope = _project_scope("project")

    class Meta:
        verbose_name = _("合同义务")
        verbose_name_plural = _("合同义务")
        ordering = ["project", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ExpenditurePlan(models.Model):
    """The government's equity, risk and supporting expenditure of a year, worked out in the affordability report."""

    class Kind(models.TextChoices):
        EQUITY = "equity", _("股权投资支出")
        RISK = "risk", _("风险承担支出")
        SUPPORTING = "supporting", _("配套投入支出")

    project = models.ForeignKey(PPPProject, on_delete=models.CASCADE, related_name="expenditure_plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("金额（万元）"), **MONEY)

    data_scope = _project_scope("project", owner=False)

    class Meta:
        verbose_name = _("财政支出责任")
        verbose_name_plural = _("财政支出责任")
        ordering = ["project", "year", "kind"]
        constraints = [models.UniqueConstraint(fields=["project", "year", "kind"], name="ppp_plan_unique")]

    def __str__(self) -> str:
        return f"{self.project} · {self.year} · {self.get_kind_display()}"


# --- dated parameters ---------------------------------------------------------------------------

PARAMETER_SCOPE = ScopeRule(finance_sees_all=True, finance_changes=True)


class ThresholdSet(models.Model):
    """The affordability lines in force from a date: 10% cap (21号), 7% warning, 5% gate (财金〔2019〕10号)."""

    valid_from = models.DateField(_("生效日期"), unique=True)
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

    data_scope = PARAMETER_SCOPE

    class Meta:
        verbose_name = _("财承阈值")
        verbose_name_plural = _("财承阈值")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.cap}/{self.warning}/{self.gov_pay_gate}"

    def clean(self):
        if self.warning and self.cap and self.warning > self.cap:
            raise ValidationError({"warning": _("预警线不能高于红线。")})
        if self.gov_pay_gate and self.cap and self.gov_pay_gate > self.cap:
            raise ValidationError({"gov_pay_gate": _("政府付费项目门槛不能高于红线。")})


class ClassificationRules(models.Model):
    """The classification rules in force from a date; see `duban.ppp.classification.Rules`."""

    valid_from = models.DateField(_("生效日期"), unique=True)
    slow_days = models.PositiveIntegerField(_("滞后天数"), default=30)
    stalled_days = models.PositiveIntegerField(_("停滞天数"), default=180)
    rectify_overdue_tasks = models.PositiveIntegerField(_("逾期整改任务数"), default=1)
    rectify_on_major_findings = models.BooleanField(_("有未整改的重大问题即需整改"), default=True)
    rectify_on_arrears = models.BooleanField(_("存在欠付即需整改"), default=True)
    withdraw_idle_days = models.PositiveIntegerField(_("未进入执行阶段且无进展天数（拟退库）"), default=730)
    minimum_linked_share = models.DecimalField(
        _("绩效挂钩最低比例"), max_digits=5, decimal_places=4, default=Decimal("0.30"), validators=FRACTION
    )

    data_scope = PARAMETER_SCOPE

    class Meta:
        verbose_name = _("分类规则")
        verbose_name_plural = _("分类规则")
        ordering = ["-valid_from"]

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
        verbose_name_plural = _("一般公共预算支出")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.expenditure}"


# --- the performance review (履约审查) --------------------------------------------------------------


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
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, on_delete=models.SET_NULL
    )

    # A campaign belongs to no unit; who may open the campaign pages is `selectors.sees_programme`,
    # and the reviews inside are narrowed by their project.
    data_scope = ScopeRule(public=True, finance_changes=True)

    class Meta:
        verbose_name = _("履约审查")
        verbose_name_plural = _("履约审查")
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

    data_scope = _project_scope("project", owner=False)

    class Meta:
        verbose_name = _("合同履约审查")
        verbose_name_plural = _("合同履约审查")
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

    data_scope = _project_scope("review__project", owner=False)

    class Meta:
        verbose_name = _("审查清单项")
        verbose_name_plural = _("审查清单项")
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Finding(models.Model):
    class Severity(models.TextChoices):
        MINOR = "minor", _("一般")
        MAJOR = "major", _("重大")
        SERIOUS = "serious", _("严重")

    review = models.ForeignKey(ContractReview, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("清单项"), null=True, blank=True, on_delete=models.SET_NULL
    )
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    description = models.TextField(_("问题描述"))
    resolved = models.BooleanField(_("已整改"), default=False)

    data_scope = _project_scope("review__project", owner=False)

    class Meta:
        verbose_name = _("审查发现")
        verbose_name_plural = _("审查发现")
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
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("对应问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
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
        finance_sees_all=True,
        finance_changes=True,
    )

    # A task no longer being worked on: accepted, or withdrawn.
    FINISHED = (State.DONE, State.CANCELLED)

    class Meta:
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.title
