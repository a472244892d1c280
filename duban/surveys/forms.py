from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.widgets import DateInput, FastSelect, FastSelectMultiple
from duban.organisation.models import Unit, UnitKind

from .models import SurveyForm


class RoundForm(forms.Form):
    form = forms.ModelChoiceField(label=_("调查表"), queryset=SurveyForm.objects.all())
    title = forms.CharField(label=_("标题"), max_length=160)
    deadline = forms.DateField(label=_("截止日期"), widget=DateInput, help_text=_("须为工作日。"))
    kinds = forms.MultipleChoiceField(
        label=_("按单位类型"), choices=UnitKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    units = forms.ModelMultipleChoiceField(
        label=_("按名单"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=FastSelectMultiple,
    )
    below = forms.ModelChoiceField(
        label=_("某单位的全部下级"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=FastSelect,
    )
    rollup = forms.BooleanField(label=_("县区汇总所辖乡镇（逐级汇总）"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
