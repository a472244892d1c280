from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin
from duban.organisation.forms import VersionedForm
from duban.organisation.models import Leader, Theme, Unit

from .models import Directive, Light, Meeting, MilestoneState, State

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DirectiveFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("关键词"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *State.choices])
    light = forms.ChoiceField(label=_("亮灯"), required=False, choices=[("", _("全部亮灯")), *Light.choices])
    leader = forms.ModelChoiceField(
        label=_("责任领导"),
        required=False,
        queryset=Leader.objects.filter(is_active=True),
        empty_label=_("全部领导"),
    )
    unit = forms.ModelChoiceField(
        label=_("单位"),
        required=False,
        queryset=Unit.objects.filter(is_active=True),
        empty_label=_("全部单位"),
    )
    theme = forms.ModelChoiceField(
        label=_("工作主题"),
        required=False,
        queryset=Theme.objects.filter(is_active=True),
        empty_label=_("全部主题"),
    )
    meeting = forms.ModelChoiceField(
        label=_("会议"), required=False, queryset=Meeting.objects.none(), empty_label=_("全部会议")
    )
    due_after = forms.DateField(label=_("时限起"), required=False, widget=DATE_INPUT)
    due_before = forms.DateField(label=_("时限止"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meetings is not None:
            self.fields["meeting"].queryset = meetings

    def option_lists(self) -> dict[str, str]:
        """The <option>s of the four long lists, joined in Python: the widgets' per-option templates
        cost about a millisecond per unit, and a province has thousands of units."""
        lists = {}
        for name in ("leader", "unit", "theme", "meeting"):
            chosen = str(self.data.get(name, "")) if self.is_bound else ""
            field = self.fields[name]
            options = [("", str(field.empty_label))] + [(str(obj.pk), str(obj)) for obj in field.queryset]
            lists[name] = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, mark_safe(" selected") if value == chosen else "", label)
                    for value, label in options
                ),
            )
        return lists

    def filters(self) -> dict:
        """The valid filters; an invalid one is dropped rather than failing the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class DirectiveForm(VersionedForm):
    class Meta:
        model = Directive
        fields = [
            "title",
            "content",
            "source",
            "meeting",
            "source_note",
            "theme",
            "responsible_leader",
            "lead_unit",
            "co_units",
            "deadline",
            "priority",
        ]
        widgets = {"deadline": DATE_INPUT, "co_units": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = Unit.objects.filter(is_active=True)
        self.fields["co_units"].queryset = Unit.objects.filter(is_active=True)
        self.fields["theme"].queryset = Theme.objects.filter(is_active=True)
        self.fields["responsible_leader"].queryset = Leader.objects.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        lead, co_units = cleaned.get("lead_unit"), cleaned.get("co_units") or []
        if lead and lead in co_units:
            self.add_error("co_units", _("牵头单位不必再列为配合单位。"))
        return cleaned


class MilestoneLinesField(forms.CharField):
    """Milestones typed one per line as “2026-03-31 完成项目可研批复”."""

    def clean(self, value):
        from .services import parse_date

        value = super().clean(value)
        milestones = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            day_text, _sep, title = line.partition(" ")
            day = parse_date(day_text)
            if day is None or not title.strip():
                raise forms.ValidationError(
                    _("第 %(n)d 行应为“日期 节点名称”，如：2026-03-31 完成可研批复。") % {"n": number}
                )
            milestones.append((title.strip(), day))
        return milestones


class DirectiveCreateForm(DirectiveForm):
    milestones = MilestoneLinesField(
        label=_("节点（路线图）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个节点：日期 节点名称，如：2026-03-31 完成可研批复"),
    )
    assign = forms.BooleanField(label=_("保存后立即交办"), required=False, initial=True)


class TransitionForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("理由或说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    until = forms.DateField(label=_("延期至"), required=False, widget=DATE_INPUT)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProgressForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = list(milestones)
        for milestone in self.milestones:
            self.fields[f"milestone_{milestone.pk}"] = forms.ChoiceField(
                label=str(milestone), choices=MilestoneState.choices, initial=milestone.state, required=False
            )
        from duban.core.forms import bootstrap

        bootstrap(self)

    def milestone_states(self) -> dict[int, str]:
        return {
            m.pk: self.cleaned_data[f"milestone_{m.pk}"]
            for m in self.milestones
            if self.cleaned_data.get(f"milestone_{m.pk}")
        }


class MilestoneForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("节点名称"), max_length=200)
    due_on = forms.DateField(label=_("节点时限"), widget=DATE_INPUT)


class CommentForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 2}))


class SplitForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("子任务名称"), max_length=200)
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none())
    deadline = forms.DateField(label=_("办理时限"), widget=DATE_INPUT)
    content = forms.CharField(label=_("具体内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, parent: Directive, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            tree_path__startswith=parent.lead_unit.tree_path, is_active=True
        ).exclude(pk=parent.lead_unit_id)


class BulkAssignForm(BootstrapFormMixin, forms.Form):
    directives = forms.ModelMultipleChoiceField(
        label=_("待交办事项"), queryset=Directive.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    lead_unit = forms.ModelChoiceField(
        label=_("统一牵头单位（可选）"), required=False, queryset=Unit.objects.filter(is_active=True)
    )
    responsible_leader = forms.ModelChoiceField(
        label=_("统一责任领导（可选）"), required=False, queryset=Leader.objects.filter(is_active=True)
    )
    deadline = forms.DateField(label=_("统一办理时限（可选）"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directives"].queryset = drafts


class ReminderForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("催办单位"), queryset=Unit.objects.filter(is_active=True))
    directives = forms.ModelMultipleChoiceField(
        label=_("督办事项"), queryset=Directive.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(label=_("催办内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, directives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directives"].queryset = directives


class NoticeForm(BootstrapFormMixin, forms.Form):
    matters = forms.CharField(
        label=_("督办事项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("留空则自动生成。"),
    )
    reply_by = forms.DateField(
        label=_("回复时限"), required=False, widget=DATE_INPUT, help_text=_("留空则为 5 个工作日后。")
    )


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    assign = forms.BooleanField(label=_("导入后直接交办"), required=False, initial=True)


class MeetingForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "held_on", "chair", "leaders", "units", "minutes"]
        widgets = {
            "held_on": DATE_INPUT,
            "units": forms.SelectMultiple(attrs={"size": 8}),
            "leaders": forms.SelectMultiple(attrs={"size": 5}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }
