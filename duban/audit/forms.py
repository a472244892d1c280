from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin

from .models import AuditEntry, Channel


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    content_type = forms.ModelChoiceField(
        label=_("对象类型"),
        required=False,
        queryset=ContentType.objects.filter(
            app_label__in=[
                "organisation",
                "accounts",
                "workcalendar",
                "minutes",
                "bonds",
                "ppp",
                "directives",
                "weekly",
            ]
        ).order_by("app_label", "model"),
        empty_label=_("全部类型"),
    )
    action = forms.TypedChoiceField(
        label=_("操作"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部操作")), *AuditEntry.Action.choices],
    )
    channel = forms.ChoiceField(
        label=_("渠道"), required=False, choices=[("", _("全部渠道")), *Channel.choices]
    )
    actor = forms.CharField(label=_("操作人用户名"), required=False)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
