from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin, bootstrap

from .models import Delivery, NotificationKind


class EmailPreferenceForm(BootstrapFormMixin, forms.Form):
    """When informational notices come (at once, or in one daily digest), then one checkbox per kind of
    notification: tick to receive it by email as well."""

    informational = forms.ChoiceField(
        label=_("信息类通知（分管领域新交办的事项、进展报送）"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "选择“每日汇总”后，这类通知在每个工作日汇总为一条发送，附各事项链接；"
            "需要您处理或决定的通知（提请您协调的事项、办结、延期、退回等）始终立即送达。"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False)
        # The mixin styled the fields that existed before these were added.
        bootstrap(self)

    def preferences(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(kind)) for kind in NotificationKind.values}
