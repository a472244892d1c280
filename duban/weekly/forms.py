"""Forms of the weekly cycle: one item of a report (saved as you go), reopening, reminding, the meeting
and its decisions. Units are typed by name (a province has thousands) and resolved like everywhere else."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin
from duban.core.widgets import DateInput
from duban.organisation.models import Leader, Theme, Unit
from duban.organisation.selectors import resolve_unit

from .models import ITEM_INPUT_FIELDS, DecisionAction, ReportItem


def choices_of(queryset) -> list[tuple]:
    """A select's choices read once, for a page that shows one form per row."""
    return [("", "---------"), *((obj.pk, str(obj)) for obj in queryset)]


class UnitByNameField(forms.CharField):
    """A unit typed by its full name, short name or alias (with a datalist of names on the page)."""

    def __init__(self, **kwargs):
        placeholder = kwargs.pop("placeholder", None)
        attrs = {"list": "weekly-units", **({"placeholder": placeholder} if placeholder else {})}
        super().__init__(required=False, widget=forms.TextInput(attrs=attrs), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        unit = resolve_unit(value)
        if unit is None:
            raise forms.ValidationError(
                _("找不到名为“%(name)s”的单位，或该名称对应多个单位。"), params={"name": value}
            )
        return unit


class ReportItemForm(BootstrapFormMixin, forms.ModelForm):
    coordination_unit = UnitByNameField(label=_("提请协调单位"), placeholder=_("或输入单位名称"))

    class Meta:
        model = ReportItem
        fields = ITEM_INPUT_FIELDS
        widgets = {
            "done_this_week": forms.Textarea(attrs={"rows": 2}),
            "plan_next_week": forms.Textarea(attrs={"rows": 2}),
            "problems": forms.Textarea(attrs={"rows": 1}),
            "coordination_request": forms.Textarea(attrs={"rows": 1}),
            "percent": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }

    def __init__(self, *args, leader_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordination_leader"].queryset = Leader.objects.filter(is_active=True)
        if leader_choices is not None:
            # A report has one form per item: read the leaders once for the page, not once per form.
            self.fields["coordination_leader"].choices = leader_choices
        if self.instance and self.instance.coordination_unit_id and not self.is_bound:
            self.initial["coordination_unit"] = self.instance.coordination_unit.name

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in ITEM_INPUT_FIELDS}

    def add_error(self, field, error):
        # A field at fault is outlined in red (its message is shown under it by the card).
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class ReopenForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=200, required=False)


class SendBackForm(BootstrapFormMixin, forms.Form):
    """The unit's head sends the report back: his reason is required."""

    reason = forms.CharField(label=_("退回意见"), max_length=200)


class RemindForm(forms.Form):
    """The units to remind; none named: every unit that has not submitted."""

    unit = forms.ModelMultipleChoiceField(queryset=Unit.objects.all(), required=False)


class WeeklyMeetingForm(BootstrapFormMixin, forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=DateInput())
    chair = forms.ModelChoiceField(
        label=_("主持人"), queryset=Leader.objects.filter(is_active=True), required=False
    )
    title = forms.CharField(label=_("会议名称"), max_length=200, required=False)


class AgendaAddForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)
    detail = forms.CharField(label=_("议题内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    unit = UnitByNameField(label=_("相关单位"))


class DecisionForm(BootstrapFormMixin, forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    decision = forms.CharField(
        label=_("会议决定"), widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("会议决定")})
    )
    action = forms.ChoiceField(
        label=_("决定事项"), choices=DecisionAction.choices, initial=DecisionAction.NOTE
    )
    deadline = forms.DateField(label=_("办理时限"), required=False, widget=DateInput())
    unit = UnitByNameField(label=_("牵头单位"), placeholder=_("牵头单位（新立或调整时）"))
    title = forms.CharField(
        label=_("新事项名称"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("新事项名称")}),
    )
    theme = forms.ModelChoiceField(
        label=_("工作主题"), queryset=Theme.objects.filter(is_active=True), required=False
    )
    leader = forms.ModelChoiceField(
        label=_("责任领导"), queryset=Leader.objects.filter(is_active=True), required=False
    )
    confirm_close = forms.BooleanField(
        label=_("确认办结：事项尚未申请办结时，按会议决定直接办结"), required=False
    )

    def __init__(self, *args, theme_choices=None, leader_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # One form per agenda item: the page reads themes and leaders once and shares them.
        if theme_choices is not None:
            self.fields["theme"].choices = theme_choices
        if leader_choices is not None:
            self.fields["leader"].choices = leader_choices
