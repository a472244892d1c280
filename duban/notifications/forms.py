from django import forms

from duban.core.forms import BootstrapFormMixin, bootstrap

from .models import NotificationKind


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
