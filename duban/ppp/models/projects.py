"""A PPP project: its register data, its shareholders, the steps of its path, its timeline, and the
government's equity, risk and supporting expenditure by year."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.concurrency import VersionedModel
from duban.core.fields import optional_link
from duban.organisation.models import Unit

from ..steps import STEP_BY_CODE, STEP_CHOICES, Path, Phase
from .common import (
    FRACTION,
    MONEY,
    PROJECT_SCOPE,
    RATE,
    ClassChoice,
    Mechanism,
    OperationMode,
    ProjectStatus,
    Sector,
    project_scope,
)

# What a user enters about a project (the page's form, the API, the Excel register); the rest follows.
PROJECT_INPUT_FIELDS = [
    "code",
    "name",
    "sector",
    "implementing_agency",
    "line_department",
    "county",
    "operation_mode",
    "mechanism",
    "path",
    "total_investment",
    "construction_cost",
    "project_capital",
    "cooperation_years",
    "construction_years",
    "spv_name",
    "spv_established_on",
    "in_library",
    "counted_in_affordability",
    "profit_rate",
    "discount_rate",
    "subsidy_years",
    "operation_start_year",
    "annual_operating_cost",
    "annual_user_fees",
    "psc",
]
SHAREHOLDER_INPUT_FIELDS = ["name", "side", "share", "capital"]


class PPPProject(VersionedModel):
    code = models.CharField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    sector = models.CharField(_("所属行业"), max_length=24, choices=Sector.choices)
    implementing_agency = models.ForeignKey(
        Unit, verbose_name=_("实施机构"), on_delete=models.PROTECT, related_name="ppp_implemented"
    )
    line_department = optional_link(Unit, _("行业主管部门"), related_name="ppp_supervised")
    county = optional_link(Unit, _("所属县区"), related_name="ppp_projects", help_text=_("市本级项目留空"))
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
        if (self.construction_years or 0) > (self.cooperation_years or 0):
            raise ValidationError(
                {
                    "construction_years": _("建设期不能长于合作期限（%(n)d 年）。")
                    % {"n": self.cooperation_years or 0}
                }
            )
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

    data_scope = project_scope("project", owner=False)

    class Meta:
        verbose_name = _("项目公司股东")
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

    data_scope = project_scope("project")

    class Meta:
        verbose_name = _("项目步骤")
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

    data_scope = project_scope("project", owner=False)

    class Meta:
        verbose_name = _("项目动态")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.text


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

    data_scope = project_scope("project", owner=False)

    class Meta:
        verbose_name = _("财政支出责任")
        ordering = ["project", "year", "kind"]
        constraints = [models.UniqueConstraint(fields=["project", "year", "kind"], name="ppp_plan_unique")]

    def __str__(self) -> str:
        return f"{self.project} · {self.year} · {self.get_kind_display()}"
