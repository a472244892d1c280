"""The assessment's page forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin
from duban.core.widgets import FastSelect
from duban.organisation.models import Unit

from .models import Indicator, Source


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
