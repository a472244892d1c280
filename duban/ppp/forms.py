"""The PPP pages' forms. The fields a user enters are listed once, in the models (`*_INPUT_FIELDS`), for
the forms and the API's serializers alike; the lists' filters are the FilterSets of `filters.py`."""

import copy
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin, PercentField
from duban.core.widgets import DateInput
from duban.organisation.forms import VersionedForm
from duban.organisation.models import Unit, UnitKind

from .models import (
    BUDGET_INPUT_FIELDS,
    CAMPAIGN_INPUT_FIELDS,
    CONTRACT_INPUT_FIELDS,
    FINDING_INPUT_FIELDS,
    OBLIGATION_INPUT_FIELDS,
    PAYMENT_RULE_INPUT_FIELDS,
    PROJECT_INPUT_FIELDS,
    RULES_INPUT_FIELDS,
    SHAREHOLDER_INPUT_FIELDS,
    TASK_INPUT_FIELDS,
    THRESHOLD_INPUT_FIELDS,
    BudgetYear,
    ChecklistItem,
    ClassChoice,
    ClassificationRules,
    Contract,
    ContractReview,
    ExpenditurePlan,
    Finding,
    Obligation,
    PaymentRule,
    PPPProject,
    ProjectStep,
    RectificationTask,
    ReviewCampaign,
    Shareholder,
    ThresholdSet,
)

YEAR = {"min_value": 1990, "max_value": 2100}


def _model_form(model, fields, *, dates=(), textareas=(), percents=(), classes=None, base=forms.ModelForm):
    """A Bootstrap-styled ModelForm of these fields, dates as date inputs, long texts as small areas, and
    rates and shares (stored as fractions) typed in percent."""
    widgets = dict.fromkeys(dates, DateInput()) | {
        name: forms.Textarea(attrs={"rows": 2}) for name in textareas
    }
    field_classes = dict.fromkeys(percents, PercentField) | (classes or {})
    meta = type(
        "Meta", (), {"model": model, "fields": fields, "widgets": widgets, "field_classes": field_classes}
    )
    return type(f"{model.__name__}Form", (BootstrapFormMixin, base), {"Meta": meta})


class GrowthField(PercentField):
    """A growth rate in percent, which may be negative (a budget that shrinks)."""

    def __init__(self, **kwargs):
        super().__init__(min_percent=-100, **kwargs)


class ProjectForm(VersionedForm):
    class Meta:
        model = PPPProject
        fields = PROJECT_INPUT_FIELDS
        widgets = {"spv_established_on": DateInput()}
        field_classes = {"profit_rate": PercentField, "discount_rate": PercentField}

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
        widgets = {"planned_on": DateInput(), "done_on": DateInput()}

    def __init__(self, *args, can_plan: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_plan:
            self.fields["planned_on"].disabled = True


ContractForm = _model_form(
    Contract, [*CONTRACT_INPUT_FIELDS, "document"], dates=["signed_on"], textareas=["summary"]
)
BAND_ROWS = 5


class ScoreBandsWidget(forms.MultiWidget):
    """The payment rule's score bands as rows of a small table: the lowest score of a band and the
    coefficient it pays, in percent (the stored JSON list is never typed by hand)."""

    template_name = "ppp/widgets/score_bands.html"

    def __init__(self, attrs=None):
        row = (
            forms.NumberInput(attrs={"step": "any", "min": 0, "max": 100, "aria-label": _("最低分（含）")}),
            forms.NumberInput(attrs={"step": "any", "min": 0, "max": 100, "aria-label": _("付费系数（%）")}),
        )
        super().__init__([widget for _row in range(BAND_ROWS) for widget in copy.deepcopy(row)], attrs)

    def get_context(self, name, value, attrs):
        # The stored list of bands (not yet one value per input) is spread over the rows first.
        if isinstance(value, (list, tuple)) and all(isinstance(band, dict) for band in value):
            value = self.decompress(value)
        return super().get_context(name, value, attrs)

    def decompress(self, value):
        values = []
        for band in (value or [])[:BAND_ROWS]:
            coefficient = Decimal(str(band["coefficient"])) * 100
            score = Decimal(str(band["min_score"]))
            values += [format(score.normalize(), "f"), format(coefficient.normalize(), "f")]
        return values + [None] * (2 * BAND_ROWS - len(values))


class ScoreBandsField(forms.MultiValueField):
    """Up to five bands of (lowest score, coefficient in percent) → the list the model keeps,
    [{"min_score": 60, "coefficient": 0.9}, …], highest band first; empty rows are left out."""

    widget = ScoreBandsWidget

    def __init__(self, **kwargs):
        for name in ("encoder", "decoder", "max_length", "required", "show_hidden_initial"):
            kwargs.pop(name, None)
        cells = [
            forms.DecimalField(min_value=0, max_value=100, decimal_places=2, required=False),
            PercentField(required=False),
        ]
        super().__init__(
            fields=[copy.deepcopy(cell) for _row in range(BAND_ROWS) for cell in cells],
            require_all_fields=False,
            required=False,
            **kwargs,
        )
        self.help_text = _(
            "每行一个分数段：得分不低于最低分、低于全额付费分数线时按该系数付费；低于所有分数段的得分不付费。"
        )

    def compress(self, data_list):
        bands = []
        for row in range(BAND_ROWS):
            low, coefficient = (data_list or [None] * 2 * BAND_ROWS)[2 * row : 2 * row + 2]
            if low is None and coefficient is None:
                continue
            if low is None or coefficient is None:
                raise ValidationError(_("第 %(row)s 行须同时填写最低分和付费系数。") % {"row": row + 1})
            bands.append({"min_score": float(low), "coefficient": float(coefficient)})
        scores = [band["min_score"] for band in bands]
        if len(set(scores)) != len(scores):
            raise ValidationError(_("各分数段的最低分不能相同。"))
        return sorted(bands, key=lambda band: band["min_score"], reverse=True)


class PaymentRuleForm(
    _model_form(
        PaymentRule,
        PAYMENT_RULE_INPUT_FIELDS,
        percents=["linked_share"],
        classes={"bands": ScoreBandsField},
    )
):
    def clean(self):
        data = super().clean()
        full = data.get("full_payment_score")
        if full is not None and any(band["min_score"] >= full for band in data.get("bands") or []):
            self.add_error(
                "bands", _("各分数段的最低分须低于全额付费分数线（%(score)s 分）。") % {"score": full}
            )
        return data


ObligationForm = _model_form(Obligation, OBLIGATION_INPUT_FIELDS, dates=["due_on"])
ShareholderForm = _model_form(Shareholder, SHAREHOLDER_INPUT_FIELDS, percents=["share"])
CampaignForm = _model_form(ReviewCampaign, CAMPAIGN_INPUT_FIELDS, dates=["due_on"])


class CorrectsByKey(forms.ModelForm):
    """A dated parameter: saving the row of an existing date (or year) corrects it (the service updates
    by its key), so the form does not refuse the key as taken."""

    def validate_unique(self):
        pass


ThresholdSetForm = _model_form(
    ThresholdSet,
    THRESHOLD_INPUT_FIELDS,
    dates=["valid_from", "concession_only_from"],
    percents={
        "cap": PercentField,
        "warning": PercentField,
        "gov_pay_gate": PercentField,
        "budget_growth": GrowthField,
    },
    base=CorrectsByKey,
)
ClassificationRulesForm = _model_form(
    ClassificationRules,
    RULES_INPUT_FIELDS,
    dates=["valid_from"],
    percents=["minimum_linked_share"],
    base=CorrectsByKey,
)
BudgetYearForm = _model_form(BudgetYear, BUDGET_INPUT_FIELDS, base=CorrectsByKey)


class PaymentYearForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), **YEAR)
    score = forms.DecimalField(
        label=_("绩效得分"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    due = forms.DecimalField(
        label=_("应付（万元）"), required=False, min_value=0, help_text=_("有付费规则且填写得分时自动计算")
    )
    budgeted = forms.DecimalField(label=_("预算安排（万元）"), min_value=0, initial=0)
    paid = forms.DecimalField(label=_("实际支付（万元）"), min_value=0, initial=0)


class ObligationStateForm(BootstrapFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=Obligation.State.choices)
    done_on = forms.DateField(label=_("履行日期"), required=False, widget=DateInput())
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class OverrideForm(BootstrapFormMixin, forms.Form):
    project_class = forms.ChoiceField(
        label=_("分类"), required=False, choices=[("", _("按规则分类（取消人工分类）")), *ClassChoice.choices]
    )
    reason = forms.CharField(label=_("理由"), required=False)


class ChecklistItemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["result", "note"]


ChecklistFormSet = forms.modelformset_factory(ChecklistItem, form=ChecklistItemForm, extra=0)


class FindingForm(_model_form(Finding, FINDING_INPUT_FIELDS, textareas=["description"])):
    def __init__(self, *args, review: ContractReview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = review.items.all()
        self.fields["item"].label_from_instance = lambda item: f"{item.code} {item.text}"


class RatingForm(_model_form(ContractReview, ["rating", "conclusion"], textareas=["conclusion"])):
    confirmed = forms.BooleanField(
        label=_("确认：评定等级与记录问题的严重程度不一致，仍按此评定"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].required = True


class TaskForm(
    _model_form(RectificationTask, TASK_INPUT_FIELDS, dates=["deadline"], textareas=["requirement"])
):
    def __init__(self, *args, review: ContractReview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = review.findings.all()
        self.fields["owner_unit"].queryset = Unit.objects.filter(is_active=True)
        if not self.is_bound:
            self.fields["owner_unit"].initial = review.project.implementing_agency_id


class TaskSubmitForm(BootstrapFormMixin, forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    response = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}))


class TaskRescheduleForm(BootstrapFormMixin, forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    deadline = forms.DateField(label=_("新的整改期限"), widget=DateInput())
    reason = forms.CharField(label=_("调整理由"), max_length=300, required=False)


class WhatIfForm(BootstrapFormMixin, forms.Form):
    project = forms.ModelChoiceField(label=_("拟新增项目"), queryset=PPPProject.objects.none())

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ExpenditureForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), **YEAR)
    kind = forms.ChoiceField(label=_("类型"), choices=ExpenditurePlan.Kind.choices)
    amount = forms.DecimalField(label=_("金额（万元）"), min_value=0, help_text=_("填 0 删除该年度该类支出"))


def _amount(label):
    return forms.DecimalField(label=label, required=False, min_value=0)


def _probability(label):
    return PercentField(label=label, required=False)


# The three scenarios of the scenario method (情景分析法): (name, amount field, probability field).
SCENARIOS = [
    (_("基本"), "base_amount", "base_probability"),
    (_("不利"), "adverse_amount", "adverse_probability"),
    (_("最坏"), "worst_amount", "worst_probability"),
]


class ExpenditureMethodForm(BootstrapFormMixin, forms.Form):
    """The 21号 methods, one at a time; only the fields of the chosen method are needed."""

    METHODS = [
        ("equity", _("股权投资支出 = 项目资本金 × 政府方持股比例")),
        ("risk_ratio", _("风险承担支出（比例法）= 基数 × 比例")),
        ("risk_scenarios", _("风险承担支出（情景分析法）= Σ 情景支出 × 概率")),
        ("supporting", _("配套投入支出 = 政府投入成本 − 社会资本方支付的费用")),
    ]
    NEEDED = {
        "risk_ratio": ["base_cost", "ratio"],
        "risk_scenarios": [name for _label, *names in SCENARIOS for name in names],
        "supporting": ["input_cost"],
    }
    method = forms.ChoiceField(label=_("测算方法"), choices=METHODS)
    first_year = forms.IntegerField(label=_("起始年度"), **YEAR)
    last_year = forms.IntegerField(label=_("截止年度"), required=False, **YEAR)
    base_cost = _amount(_("比例法基数（建设或运营成本，万元）"))
    ratio = _probability(_("比例"))
    base_amount = _amount(_("基本情景支出（万元）"))
    base_probability = _probability(_("基本情景概率"))
    adverse_amount = _amount(_("不利情景支出（万元）"))
    adverse_probability = _probability(_("不利情景概率"))
    worst_amount = _amount(_("最坏情景支出（万元）"))
    worst_probability = _probability(_("最坏情景概率"))
    input_cost = _amount(_("政府配套投入成本（万元）"))
    fees = _amount(_("社会资本方支付的费用（万元）"))

    def clean(self):
        data = super().clean()
        for name in self.NEEDED.get(data.get("method"), []):
            if data.get(name) is None:
                self.add_error(name, _("该测算方法需要填写此项。"))
        if data.get("last_year") and data.get("first_year") and data["last_year"] < data["first_year"]:
            self.add_error("last_year", _("截止年度不能早于起始年度。"))
        return data

    def service_arguments(self) -> dict:
        """What `services.expenditure_by_method` takes: the method, the years and the method's inputs."""
        data = self.cleaned_data
        arguments = {
            name: data.get(name) for name in ("method", "first_year", "last_year", "base_cost", "ratio")
        }
        arguments |= {"input_cost": data.get("input_cost"), "fees": data.get("fees")}
        if data["method"] == "risk_scenarios":
            arguments["scenarios"] = [(str(name), data[amount], data[p]) for name, amount, p in SCENARIOS]
        return arguments
