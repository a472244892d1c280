"""Forms of the bond pages: the project, the cash-flow grid row, debts, attachments, batches and the
inputs of each transition (built from workflow.Input)."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts.roles import Role
from duban.accounts.scope import user_units
from duban.core.forms import BootstrapFormMixin, PercentField
from duban.core.widgets import DateInput
from duban.organisation.forms import VersionedForm
from duban.organisation.models import Unit, UnitKind

from . import regulations, selectors
from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    LIBRARY_FIELDS,
    BondBatch,
    BondProject,
    DocumentKind,
    ProjectDebt,
)
from .workflow import Input, Transition


class RateField(PercentField):
    """An interest rate typed in percent (2.5 for 2.5%), up to 30% (finance-domain.md: coupons are a few
    percent; a rate above 30% is a typo), stored as a fraction with five places."""

    def __init__(self, **kwargs):
        kwargs.pop("decimal_places", None)
        super().__init__(max_percent=30, fraction_places=5, **kwargs)


class ProjectForm(VersionedForm):
    income_sources = forms.CharField(
        label=_("收益来源"), required=False, help_text=_("多个来源用顿号或逗号分隔，如：停车费、充电服务费")
    )

    class Meta:
        model = BondProject
        fields = LIBRARY_FIELDS
        widgets = {
            "construction_content": forms.Textarea(attrs={"rows": 3}),
            "performance_targets": forms.Textarea(attrs={"rows": 3}),
            "planned_start": DateInput(),
            "planned_finish": DateInput(),
            "actual_start": DateInput(),
            "actual_finish": DateInput(),
        }
        field_classes = {"expected_rate": RateField}
        help_texts = {"expected_rate": _("按百分数填写，如 2.5 表示 2.5%。")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["income_sources"] = "、".join(self.instance.income_sources)
        units = Unit.objects.filter(is_active=True)
        # A liaison applies for its own unit (or one below it).
        liaison = user is not None and user.role == Role.LIAISON
        self.fields["applying_unit"].queryset = units & user_units(user) if liaison else units
        self.fields["supervising_department"].queryset = units
        self.fields["county"].queryset = units.filter(kind=UnitKind.COUNTY)
        self.fields["investment_area"].queryset = regulations.positive_areas()


class YearForm(forms.Form):
    """The year a page's figures are for (a year out of range is left out, and the current one shown)."""

    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)

    def chosen_year(self) -> int:
        chosen = self.cleaned_data.get("year") if self.is_valid() else None
        return chosen or timezone.localdate().year


class CashFlowRowForm(BootstrapFormMixin, forms.Form):
    """One year of the grid: the year, one field per income source, cost and tax."""

    year = forms.IntegerField(label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    operating_cost = forms.DecimalField(
        label=_("经营成本"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    tax = forms.DecimalField(label=_("税费"), min_value=0, max_digits=14, decimal_places=2, required=False)
    new_source = forms.CharField(label=_("新增收入来源"), required=False, max_length=40)
    new_amount = forms.DecimalField(
        label=_("金额"), min_value=0, max_digits=14, decimal_places=2, required=False
    )

    def __init__(self, *args, sources=(), row=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = list(sources)
        for index, source in enumerate(self.sources):
            self.fields[f"income_{index}"] = forms.DecimalField(
                label=source, min_value=0, max_digits=14, decimal_places=2, required=False
            )
        if row is not None and not self.is_bound:
            self.initial.update({"year": row.year, "operating_cost": row.operating_cost, "tax": row.tax})
            amounts = row.income_amounts()
            for index, source in enumerate(self.sources):
                self.initial[f"income_{index}"] = amounts.get(source)
        for field in self.fields.values():
            field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " form-control-sm"
            # The grid has one header row; the inputs say what they are for screen readers and the new row.
            field.widget.attrs.setdefault("placeholder", str(field.label))
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def income(self) -> dict:
        income = {
            source: self.cleaned_data.get(f"income_{index}") or Decimal(0)
            for index, source in enumerate(self.sources)
        }
        if (name := (self.cleaned_data.get("new_source") or "").strip()) and name not in income:
            income[name] = self.cleaned_data.get("new_amount") or Decimal(0)
        return income

    def income_fields(self):
        return [self[f"income_{index}"] for index in range(len(self.sources))]


def parse_instalments(text: str) -> dict[str, str]:
    """“2026:0.2、2027:0.8” → {"2026": "0.2", "2027": "0.8"}; empty means a bullet."""
    result = {}
    for part in re.split(r"[、,，;；\s]+", text or ""):
        if not part:
            continue
        match = re.fullmatch(r"(\d{4})[:：=](\d*\.?\d+)", part)
        if not match:
            raise forms.ValidationError(_("分期还本应写作“年份:比例”，如 2026:0.2、2027:0.8。"))
        result[match.group(1)] = match.group(2)
    return result


class DebtForm(BootstrapFormMixin, forms.ModelForm):
    instalments = forms.CharField(
        label=_("分期还本"), required=False, help_text=_("留空为到期一次还本；分期写作 2026:0.2、2027:0.2 …")
    )

    class Meta:
        model = ProjectDebt
        fields = ["kind", "lender", "principal", "rate", "issue_year", "term_years"]
        field_classes = {"rate": RateField}

    def clean_instalments(self):
        return parse_instalments(self.cleaned_data.get("instalments", ""))


class DocumentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("文件"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class BatchForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = BondBatch
        fields = ["name", "year", "quarter", "opens_on", "closes_on", "note"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}


class TransitionForm(BootstrapFormMixin, forms.Form):
    """The inputs one step asks for (workflow.Input), named as the API names them."""

    def __init__(self, *args, transition: Transition, project: BondProject, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        inputs = transition.inputs
        today = timezone.localdate()
        if Input.BATCH in inputs:
            self.fields["batch"] = forms.ModelChoiceField(
                label=_("申报批次"),
                queryset=selectors.batch_open_list(on=today),
            )
        if Input.REASON in inputs:
            self.fields["reason"] = forms.CharField(
                label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2})
            )
        if Input.AMOUNT in inputs:
            self.fields["amount"] = forms.DecimalField(
                label=_("金额（万元）"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
            )
        if Input.DATE in inputs:
            self.fields["date"] = forms.DateField(label=_("日期"), initial=today, widget=DateInput())
        if Input.ISSUE in inputs:
            self.fields["bond_code"] = forms.CharField(label=_("债券编码"), max_length=40)
            self.fields["issue_date"] = forms.DateField(label=_("发行日"), initial=today, widget=DateInput())
            self.fields["term_years"] = forms.IntegerField(
                label=_("期限（年）"), min_value=1, max_value=50, initial=project.term_years
            )
            self.fields["rate"] = RateField(label=_("票面利率（%）"))
            self.fields["amount"] = forms.DecimalField(
                label=_("发行金额（万元）"),
                min_value=Decimal("0.01"),
                max_digits=14,
                decimal_places=2,
                initial=project.quota_allocated,
            )
            self.fields["instalments"] = forms.CharField(label=_("分期还本"), required=False)
        if Input.NOTE in inputs:
            self.fields["note"] = forms.CharField(
                label=_("意见/说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        # Approving a project whose balance test fails: the page states the failure and asks why.
        self.balance_failure = selectors.balance_failure(project) if Input.OVERRIDE in inputs else None
        if self.balance_failure is not None:
            self.fields["override_reason"] = forms.CharField(
                label=_("未通过资金平衡测算仍审核通过的理由"),
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("理由记入办理时间线和修改记录，并显示在项目页上。"),
            )

    def clean_instalments(self):
        return parse_instalments(self.cleaned_data.get("instalments", ""))
