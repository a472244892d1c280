"""Forms of the minutes import: the source, the meeting, one draft directive, and where to split it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin
from duban.core.widgets import DateInput
from duban.organisation.models import Leader, Theme, Unit

from . import services
from .models import MEETING_FIELDS, MinutesDraft


class SourceForm(BootstrapFormMixin, forms.Form):
    """Pasted text or an uploaded .txt / .docx, and the meeting date if the text does not give one."""

    text = forms.CharField(
        label=_("粘贴纪要或通稿文字"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    file = forms.FileField(label=_("或上传文件（.txt、.docx）"), required=False)
    meeting_date = forms.DateField(
        label=_("会议日期"),
        required=False,
        widget=DateInput(),
        help_text=_("可不填：原文中的日期缺少年份时，以此补全，并据此推算期限。"),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            # The text to extract from, and the file's name (a file that cannot be read: on `file`).
            self.source = services.read_source(text=cleaned.get("text") or "", upload=cleaned.get("file"))
        return cleaned


class MeetingForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = MinutesDraft
        fields = MEETING_FIELDS
        widgets = {"meeting_date": DateInput(), "default_deadline": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = Leader.objects.filter(is_active=True)


class RowForm(BootstrapFormMixin, forms.Form):
    """One draft directive as the office edits it (the page's row and the API's rows)."""

    title = forms.CharField(label=_("事项名称"), max_length=200)
    text = forms.CharField(label=_("具体内容"), widget=forms.Textarea(attrs={"rows": 3}))
    theme = forms.ModelChoiceField(
        label=_("工作主题"), queryset=Theme.objects.filter(is_active=True), to_field_name="code"
    )
    leader = forms.ModelChoiceField(
        label=_("责任领导"), queryset=Leader.objects.filter(is_active=True), required=False
    )
    lead_unit = forms.ModelChoiceField(
        label=_("牵头单位"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    deadline = forms.DateField(label=_("办理时限"), required=False, widget=DateInput())

    @classmethod
    def initial_from(cls, row: dict) -> dict:
        return {name: row.get(name) for name in services.EDITABLE}


class SplitForm(forms.Form):
    position = forms.TypedChoiceField(label=_("拆分位置"), coerce=int, choices=())

    def __init__(self, *args, row: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [
            (position, _("在“…%(before)s”之后") % {"before": before})
            for position, before in services.split_positions(row)
        ]
