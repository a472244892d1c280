from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin
from duban.core.widgets import DateInput

from .models import CalendarOverride


class CalendarOverrideForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["day", "is_working_day", "name"]
        widgets = {"day": DateInput()}


class WorkingDayQueryForm(BootstrapFormMixin, forms.Form):
    start = forms.DateField(label=_("起始日期"), widget=DateInput())
    days = forms.IntegerField(label=_("工作日数"), min_value=-366, max_value=366)
