from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin, bootstrap

from .models import NotificationKind


class NotificationFilterForm(BootstrapFormMixin, forms.Form):
    unread = forms.BooleanField(label=_("只看未读"), required=False)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *NotificationKind.choices]
    )


class EmailPreferenceForm(BootstrapFormMixin, forms.Form):
    """One checkbox per kind of notification: tick to receive it by email as well."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False)
        # The mixin styled the fields that existed before these were added.
        bootstrap(self)

    def preferences(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(kind)) for kind in NotificationKind.values}
