"""The assessment's page forms."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin
from duban.core.widgets import DateInput, FastSelect, FastSelectMultiple
from duban.organisation.forms import VersionedForm
from duban.organisation.models import Unit

from .models import Indicator, Scheme, Source, UnitGroup
from .models.schemes import default_grades


class EntryForm(BootstrapFormMixin, forms.Form):
    indicator = forms.ModelChoiceField(label=_("指标"), queryset=Indicator.objects.none())
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), widget=FastSelect())
    value = forms.DecimalField(label=_("评分/分值"), max_digits=9, decimal_places=4)
    note = forms.CharField(label=_("评分依据"), max_length=300)
    evidence = forms.FileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            scheme=period.scheme_id, scored=True, source=Source.MANUAL
        )
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=period.scheme.groups.values("members__unit")
        ).order_by("sort_order", "pk")


class DecisionForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("意见"), max_length=300, required=False)


class AppealForm(BootstrapFormMixin, forms.Form):
    indicator = forms.ModelChoiceField(label=_("申诉指标"), queryset=Indicator.objects.none())
    reason = forms.CharField(label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 4}))
    claimed_value = forms.DecimalField(label=_("申请更正为"), max_digits=12, decimal_places=4, required=False)
    evidence = forms.FileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        keys = list((period.current.rules["indicators"] if period.current else {}).keys())
        self.fields["indicator"].queryset = Indicator.objects.filter(
            scheme=period.scheme_id, key__in=keys, scored=True
        )


class AppealDecisionForm(BootstrapFormMixin, forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("复核结论"),
        choices=[("1", _("申诉成立")), ("0", _("申诉不成立"))],
        coerce=lambda value: value == "1",
    )
    decision = forms.CharField(label=_("复核意见"), widget=forms.Textarea(attrs={"rows": 3}))
    corrected_value = forms.DecimalField(
        label=_("更正后的值"), max_digits=12, decimal_places=4, required=False
    )


class ExperienceForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    summary = forms.CharField(label=_("主要做法与成效"), widget=forms.Textarea(attrs={"rows": 6}))
    evidence = forms.FileField(label=_("佐证材料"), required=False)


class PeriodForm(BootstrapFormMixin, forms.Form):
    label = forms.CharField(label=_("考核期"), max_length=10, help_text=_("如 2026-03、2026-Q1、2026"))


GRADE_LINE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%?\s*[\s,，、:：]\s*(\S.*?)\s*$")


def grade_lines(text: str) -> list[list]:
    """“90 优秀” a line (bands), or “20 优秀” (quotas, percent): [[90, "优秀"], …]."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        matched = GRADE_LINE.match(line)
        if matched is None:
            raise forms.ValidationError(_("第 %(line)s 行应为“数值 等次”，如“90 优秀”。") % {"line": number})
        value = Decimal(matched.group(1))
        found.append([int(value) if value == value.to_integral_value() else float(value), matched.group(2)])
    return found


class SchemeForm(VersionedForm):
    grades_text = forms.CharField(
        label=_("等次划分"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "每行一个等次，从优到差。按分数段：“90 优秀”表示 90 分及以上；按比例：“20 优秀”表示每个排名分组"
            "前 20%（向下取整，至少 1 个单位），各比例合计 100，最后一个等次为其余单位；并列的单位名额不足时同列较低等次。"
        ),
    )

    class Meta:
        model = Scheme
        fields = ["name", "period_type", "visibility", "grading", "description", "appeal_days", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grades = self.instance.grades if self.instance.pk else default_grades()
        self.fields["grades_text"].initial = "\n".join(f"{value} {name}" for value, name in grades)
        self.order_fields([*self.Meta.fields[:4], "grades_text"])

    def clean_grades_text(self):
        return grade_lines(self.cleaned_data["grades_text"])

    @property
    def changes(self) -> dict:
        fields = {k: v for k, v in self.cleaned_data.items() if k not in ("expected_version", "grades_text")}
        return {**fields, "grades": self.cleaned_data["grades_text"]}


class GroupForm(VersionedForm):
    units = forms.ModelMultipleChoiceField(
        label=_("参与排名的单位"), queryset=Unit.objects.none(), required=False, widget=FastSelectMultiple()
    )
    separate = forms.ModelMultipleChoiceField(
        label=_("单列单位（考核不排名）"),
        queryset=Unit.objects.none(),
        required=False,
        widget=FastSelectMultiple(),
    )

    class Meta:
        model = UnitGroup
        fields = ["name", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(is_active=True).order_by("sort_order", "pk")
        self.fields["units"].queryset = units
        self.fields["separate"].queryset = units
        if self.instance.pk and not self.is_bound:
            members = list(self.instance.members.all())
            self.fields["units"].initial = [m.unit_id for m in members if not m.separate]
            self.fields["separate"].initial = [m.unit_id for m in members if m.separate]


PARAM_FIELDS = ("target", "cap", "better", "step", "bands", "per", "max")


def band_lines(text: str) -> list[list]:
    """“0.9 1” a line: the threshold and the fraction of the weight it earns."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = re.split(r"[\s,，、:：]+", line.strip())
        if parts == [""]:
            continue
        try:
            found.append([float(Decimal(parts[0])), float(Decimal(parts[1]))])
        except (IndexError, ArithmeticError, ValueError):
            raise forms.ValidationError(
                _("第 %(line)s 行应为“阈值 得分比例”，如“0.9 1”。") % {"line": number}
            ) from None
    return found


class IndicatorForm(VersionedForm):
    target = forms.DecimalField(label=_("目标值"), required=False, max_digits=14, decimal_places=4)
    cap = forms.DecimalField(
        label=_("封顶倍数"), required=False, max_digits=8, decimal_places=4, help_text=_("如 1 或 1.2")
    )
    better = forms.ChoiceField(
        label=_("优劣方向"),
        required=False,
        choices=[("", "—"), ("higher", _("越高越好")), ("lower", _("越低越好"))],
    )
    step = forms.DecimalField(label=_("名次级差（分）"), required=False, max_digits=8, decimal_places=4)
    bands = forms.CharField(
        label=_("分档"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行“阈值 得分比例”，从优到差，如“0.9 1”“0.8 0.6”。"),
    )
    per = forms.DecimalField(label=_("每项扣分"), required=False, max_digits=8, decimal_places=4)
    max = forms.DecimalField(label=_("最多扣分"), required=False, max_digits=8, decimal_places=4)

    class Meta:
        model = Indicator
        fields = [
            "parent",
            "key",
            "name",
            "sort_order",
            "scored",
            "weight",
            "formula",
            "source",
            "absent_is_zero",
            "data_owner",
            "frequency",
            "valid_from",
            "valid_to",
            "description",
        ]
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "data_owner": FastSelect(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.scheme = scheme
        parents = Indicator.objects.filter(scheme=scheme, level__lt=3).order_by("level", "sort_order", "pk")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            del self.fields["key"]
            if not self.is_bound:
                params = self.instance.params
                for name in PARAM_FIELDS:
                    value = params.get(name)
                    if name == "bands" and value:
                        value = "\n".join(f"{threshold} {fraction}" for threshold, fraction in value)
                    self.fields[name].initial = value
        self.fields["parent"].queryset = parents
        self.fields["data_owner"].queryset = Unit.objects.filter(is_active=True).order_by("sort_order", "pk")

    def clean_bands(self):
        return band_lines(self.cleaned_data["bands"])

    @property
    def changes(self) -> dict:
        data = self.cleaned_data
        fields = {k: v for k, v in data.items() if k != "expected_version" and k not in PARAM_FIELDS}
        params = {}
        for name in PARAM_FIELDS:
            value = data.get(name)
            if value in (None, "", []):
                continue
            params[name] = float(value) if isinstance(value, Decimal) else value
        return {**fields, "params": params}


class WeightsForm(BootstrapFormMixin, forms.Form):
    """A group's own weight of each indicator of its scheme (empty: the indicator's own weight)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, group, tree, own, **kwargs):
        super().__init__(*args, **kwargs)
        self.tree = tree
        if not self.is_bound:
            self.fields["expected_version"].initial = group.version
        for indicator in tree:
            self.fields[f"w{indicator.pk}"] = forms.DecimalField(
                label="　" * (indicator.level - 1) + indicator.name,
                required=False,
                min_value=0,
                max_digits=7,
                decimal_places=2,
                initial=own.get(indicator.pk),
                help_text=_("指标权重 %(weight)s；留空则采用指标权重") % {"weight": indicator.weight},
            )

    @property
    def weights(self) -> dict:
        return {indicator: self.cleaned_data.get(f"w{indicator.pk}") for indicator in self.tree}

    @property
    def version(self) -> int:
        return self.cleaned_data.get("expected_version") or 0
