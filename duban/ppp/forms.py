from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin
from duban.organisation.forms import VersionedForm
from duban.organisation.models import Unit, UnitKind

from .models import (
    BudgetYear,
    ChecklistItem,
    ClassChoice,
    ClassificationRules,
    Contract,
    ContractReview,
    ExpenditurePlan,
    Finding,
    Mechanism,
    Obligation,
    PaymentRule,
    PPPProject,
    ProjectStatus,
    ProjectStep,
    RectificationTask,
    ReviewCampaign,
    Sector,
    Shareholder,
    ThresholdSet,
)
from .services import PROJECT_FIELDS
from .steps import Path, Phase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("名称或编号"), required=False)
    phase = forms.ChoiceField(label=_("阶段"), required=False, choices=[("", _("全部阶段")), *Phase.choices])
    project_class = forms.ChoiceField(
        label=_("分类"), required=False, choices=[("", _("全部分类")), *ClassChoice.choices]
    )
    mechanism = forms.ChoiceField(
        label=_("回报机制"), required=False, choices=[("", _("全部回报机制")), *Mechanism.choices]
    )
    sector = forms.ChoiceField(
        label=_("行业"), required=False, choices=[("", _("全部行业")), *Sector.choices]
    )
    path = forms.ChoiceField(
        label=_("实施路径"), required=False, choices=[("", _("全部路径")), *Path.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *ProjectStatus.choices]
    )


class ProjectForm(VersionedForm):
    class Meta:
        model = PPPProject
        fields = PROJECT_FIELDS
        widgets = {"spv_established_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = Unit.objects.filter(is_active=True)
        self.fields["implementing_agency"].queryset = active
        self.fields["line_department"].queryset = active
        self.fields["county"].queryset = active.filter(kind=UnitKind.COUNTY)


class StepForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectStep
        fields = ["planned_on", "done_on", "document_title", "document", "note"]
        widgets = {"planned_on": DATE, "done_on": DATE}

    def __init__(self, *args, can_plan: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_plan:
            self.fields["planned_on"].disabled = True


class ContractForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "kind",
            "number",
            "title",
            "signed_on",
            "parties",
            "term_years",
            "amount",
            "summary",
            "document",
        ]
        widgets = {"signed_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}


class PaymentRuleForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = PaymentRule
        fields = [
            "formula",
            "full_payment_score",
            "bands",
            "linked_share",
            "annual_construction_payment",
            "annual_operating_payment",
            "fixed_return",
        ]


class PaymentYearForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    score = forms.DecimalField(
        label=_("绩效得分"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    due = forms.DecimalField(
        label=_("应付（万元）"), required=False, min_value=0, help_text=_("有付费规则且填写得分时自动计算")
    )
    budgeted = forms.DecimalField(label=_("预算安排（万元）"), min_value=0, initial=0)
    paid = forms.DecimalField(label=_("实际支付（万元）"), min_value=0, initial=0)


class ObligationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Obligation
        fields = ["side", "kind", "title", "due_on", "amount", "note"]
        widgets = {"due_on": DATE}


class ObligationStateForm(BootstrapFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=Obligation.State.choices)
    done_on = forms.DateField(label=_("履行日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class OverrideForm(BootstrapFormMixin, forms.Form):
    project_class = forms.ChoiceField(
        label=_("分类"), required=False, choices=[("", _("按规则分类（取消人工分类）")), *ClassChoice.choices]
    )
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("退库理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CampaignForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ReviewCampaign
        fields = ["name", "year", "due_on"]
        widgets = {"due_on": DATE}


class ChecklistItemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["result", "note"]


ChecklistFormSet = forms.modelformset_factory(ChecklistItem, form=ChecklistItemForm, extra=0)


class FindingForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["item", "severity", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, review: ContractReview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = review.items.all()
        self.fields["item"].label_from_instance = lambda item: f"{item.code} {item.text}"


class RatingForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ContractReview
        fields = ["rating", "conclusion"]
        widgets = {"conclusion": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].required = True


class TaskForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = RectificationTask
        fields = ["finding", "owner_unit", "title", "requirement", "deadline"]
        widgets = {"deadline": DATE, "requirement": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, review: ContractReview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = review.findings.all()
        self.fields["owner_unit"].queryset = Unit.objects.filter(is_active=True)
        if not self.is_bound:
            self.fields["owner_unit"].initial = review.project.implementing_agency_id


class TaskSubmitForm(BootstrapFormMixin, forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    response = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}))


class TaskReturnForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=300)


class TaskCancelForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=300)


class TaskRescheduleForm(BootstrapFormMixin, forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    deadline = forms.DateField(label=_("新的整改期限"), widget=DATE)
    reason = forms.CharField(label=_("调整理由"), max_length=300, required=False)


class WhatIfForm(BootstrapFormMixin, forms.Form):
    project = forms.ModelChoiceField(label=_("拟新增项目"), queryset=PPPProject.objects.none())

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class ShareholderForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Shareholder
        fields = ["name", "side", "share", "capital"]


class ExpenditureForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    kind = forms.ChoiceField(label=_("类型"), choices=ExpenditurePlan.Kind.choices)
    amount = forms.DecimalField(label=_("金额（万元）"), min_value=0, help_text=_("填 0 删除该年度该类支出"))


class ThresholdSetForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ThresholdSet
        fields = [
            "valid_from",
            "cap",
            "warning",
            "gov_pay_gate",
            "concession_only_from",
            "budget_growth",
            "basis",
        ]
        widgets = {"valid_from": DATE, "concession_only_from": DATE}

    def validate_unique(self):
        # Saving the row of an existing date corrects it (the service updates by date).
        pass


class ClassificationRulesForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ClassificationRules
        fields = [
            "valid_from",
            "slow_days",
            "stalled_days",
            "rectify_overdue_tasks",
            "rectify_on_major_findings",
            "rectify_on_arrears",
            "withdraw_idle_days",
            "minimum_linked_share",
        ]
        widgets = {"valid_from": DATE}

    def validate_unique(self):
        pass


class BudgetYearForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = BudgetYear
        fields = ["year", "expenditure", "is_actual", "note"]

    def validate_unique(self):
        pass


class ExpenditureMethodForm(BootstrapFormMixin, forms.Form):
    """The 21号 methods, one at a time; only the fields of the chosen method are needed."""

    METHODS = [
        ("equity", _("股权投资支出 = 项目资本金 × 政府方持股比例")),
        ("risk_ratio", _("风险承担支出（比例法）= 基数 × 比例")),
        ("risk_scenarios", _("风险承担支出（情景分析法）= Σ 情景支出 × 概率")),
        ("supporting", _("配套投入支出 = 政府投入成本 − 社会资本方支付的费用")),
    ]
    method = forms.ChoiceField(label=_("测算方法"), choices=METHODS)
    first_year = forms.IntegerField(label=_("起始年度"), min_value=1990, max_value=2100)
    last_year = forms.IntegerField(label=_("截止年度"), min_value=1990, max_value=2100, required=False)
    base_cost = forms.DecimalField(label=_("比例法基数（建设或运营成本，万元）"), required=False, min_value=0)
    ratio = forms.DecimalField(label=_("比例（如 0.02）"), required=False, min_value=0, max_value=1)
    base_amount = forms.DecimalField(label=_("基本情景支出（万元）"), required=False, min_value=0)
    base_probability = forms.DecimalField(label=_("基本情景概率"), required=False, min_value=0, max_value=1)
    adverse_amount = forms.DecimalField(label=_("不利情景支出（万元）"), required=False, min_value=0)
    adverse_probability = forms.DecimalField(
        label=_("不利情景概率"), required=False, min_value=0, max_value=1
    )
    worst_amount = forms.DecimalField(label=_("最坏情景支出（万元）"), required=False, min_value=0)
    worst_probability = forms.DecimalField(label=_("最坏情景概率"), required=False, min_value=0, max_value=1)
    input_cost = forms.DecimalField(label=_("政府配套投入成本（万元）"), required=False, min_value=0)
    fees = forms.DecimalField(label=_("社会资本方支付的费用（万元）"), required=False, min_value=0)

    def clean(self):
        data = super().clean()
        method = data.get("method")
        needed = {
            "risk_ratio": ["base_cost", "ratio"],
            "risk_scenarios": ["base_amount", "base_probability", "adverse_amount", "adverse_probability",
                               "worst_amount", "worst_probability"],
            "supporting": ["input_cost"],
        }.get(method, [])  # fmt: skip
        for name in needed:
            if data.get(name) is None:
                self.add_error(name, _("该测算方法需要填写此项。"))
        if data.get("last_year") and data.get("first_year") and data["last_year"] < data["first_year"]:
            self.add_error("last_year", _("截止年度不能早于起始年度。"))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        scenarios = None
        if data["method"] == "risk_scenarios":
            scenarios = [
                (str(_("基本")), data["base_amount"], data["base_probability"]),
                (str(_("不利")), data["adverse_amount"], data["adverse_probability"]),
                (str(_("最坏")), data["worst_amount"], data["worst_probability"]),
            ]
        return {
            "method": data["method"],
            "first_year": data["first_year"],
            "last_year": data.get("last_year"),
            "base_cost": data.get("base_cost"),
            "ratio": data.get("ratio"),
            "scenarios": scenarios,
            "input_cost": data.get("input_cost"),
            "fees": data.get("fees"),
        }
