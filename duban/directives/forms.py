from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.dates import parse_date
from duban.core.forms import BootstrapFormMixin, ImportForm, bootstrap
from duban.core.widgets import DateInput
from duban.organisation.forms import VersionedForm
from duban.organisation.models import Leader, Theme, Unit

from .models import DIRECTIVE_INPUT_FIELDS, Directive, Meeting, MilestoneState


class NoticeYearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)

    @classmethod
    def chosen(cls, data) -> int:
        """The year asked for, or this year (an invalid one is ignored)."""
        form = cls(data)
        return (form.is_valid() and form.cleaned_data["year"]) or timezone.localdate().year


class DirectiveForm(VersionedForm):
    class Meta:
        model = Directive
        fields = DIRECTIVE_INPUT_FIELDS
        widgets = {"deadline": DateInput(), "co_units": forms.SelectMultiple(attrs={"size": 8})}

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
    until = forms.DateField(label=_("延期至"), required=False, widget=DateInput())
    confirmed = forms.BooleanField(label=_("我已了解，确认办结"), required=False)
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
        bootstrap(self)

    def milestone_states(self) -> dict[int, str]:
        return {
            m.pk: self.cleaned_data[f"milestone_{m.pk}"]
            for m in self.milestones
            if self.cleaned_data.get(f"milestone_{m.pk}")
        }


class MilestoneForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("节点名称"), max_length=200)
    due_on = forms.DateField(label=_("节点时限"), widget=DateInput())


class CommentForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 2}))


class SplitForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("子任务名称"), max_length=200)
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none())
    deadline = forms.DateField(label=_("办理时限"), widget=DateInput())
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
    deadline = forms.DateField(label=_("统一办理时限（可选）"), required=False, widget=DateInput())
    suggest_units = forms.BooleanField(
        label=_("按事项内容中点名的单位确定牵头单位（“由/请/责成……牵头/负责”优先）"),
        required=False,
        initial=True,
    )
    suggest_leaders = forms.BooleanField(
        label=_("未指定责任领导的，按工作主题和分管单位匹配责任领导"), required=False, initial=True
    )

    def __init__(self, *args, drafts, suggested_units: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggested_units = suggested_units or {}
        self.fields["directives"].queryset = drafts
        self.fields["directives"].label_from_instance = self.describe

    def describe(self, draft: Directive) -> str:
        leader = draft.responsible_leader or "—"
        text = f"{draft.title} · {draft.lead_unit} · {leader} · {draft.deadline:%Y-%m-%d}"
        suggested = self.suggested_units.get(draft.pk)
        if suggested is not None and suggested.pk != draft.lead_unit_id:
            text += " · " + str(_("内容点名牵头：%(unit)s") % {"unit": suggested})
        return text


class ReminderForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("催办单位"), queryset=Unit.objects.filter(is_active=True))
    directives = forms.ModelMultipleChoiceField(
        label=_("督办事项"), queryset=Directive.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(label=_("催办内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reply_by = forms.DateField(
        label=_("回复时限"), required=False, widget=DateInput(), help_text=_("留空则为 3 个工作日后。")
    )

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
        label=_("回复时限"), required=False, widget=DateInput(), help_text=_("留空则为 5 个工作日后。")
    )


class ReplyForm(BootstrapFormMixin, forms.Form):
    """A unit's reply to a reminder or a supervision notice: what it has done, and a file if any."""

    text = forms.CharField(label=_("回复内容"), widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("附件（可选）"), required=False)


class LedgerImportForm(ImportForm):
    assign = forms.BooleanField(label=_("导入后直接交办"), required=False, initial=True)


class MeetingForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "held_on", "chair", "leaders", "units", "minutes"]
        widgets = {
            "held_on": DateInput(),
            "units": forms.SelectMultiple(attrs={"size": 8}),
            "leaders": forms.SelectMultiple(attrs={"size": 5}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }
