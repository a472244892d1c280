from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin, bootstrap
from duban.core.widgets import FastSelect

from .models import INFORMATIONAL_CADENCES, ROBOT_CHANNELS, Cadence, Channel, NotificationKind, UnitRobot

CADENCE_PREFIX = "cadence_"
CHANNEL_PREFIX = "channel_"


class EmailPreferenceForm(BootstrapFormMixin, forms.Form):
    """The user's notification settings: the channels that reach him, when informational notices come
    (at once, or in one daily digest), then per kind: when it reaches him beyond the inbox (at once, in
    the digest, or inbox only) and whether by e-mail as well."""

    informational = forms.ChoiceField(
        label=_("信息类通知（分管领域新交办的事项、进展报送）"),
        choices=INFORMATIONAL_CADENCES,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "选择“每日汇总”后，这类通知在每个工作日汇总为一条发送，附各事项链接；"
            "需要您处理或决定的通知（提请您协调的事项、办结、延期、退回等）始终立即送达。"
        ),
    )

    # The page showed the channel boxes (a form sent without them, from an older page, leaves them).
    channels_shown = forms.CharField(widget=forms.HiddenInput, initial="1", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for channel, label in Channel.choices:
            self.fields[CHANNEL_PREFIX + channel] = forms.BooleanField(
                label=_("通过%(channel)s接收") % {"channel": label}, required=False
            )
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False)
            self.fields[CADENCE_PREFIX + kind] = forms.ChoiceField(
                label=_("%(kind)s：送达方式") % {"kind": label},
                choices=[("", _("默认"))] + list(Cadence.choices),
                required=False,
            )
        # The mixin styled the fields that existed before these were added.
        bootstrap(self)

    def preferences(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(kind)) for kind in NotificationKind.values}

    def cadences(self) -> dict[str, str]:
        return {kind: self.cleaned_data.get(CADENCE_PREFIX + kind) or "" for kind in NotificationKind.values}

    def channels(self) -> dict[str, bool]:
        return {channel: bool(self.cleaned_data.get(CHANNEL_PREFIX + channel)) for channel in Channel.values}


class ChannelSwitchForm(BootstrapFormMixin, forms.Form):
    """The office turns each channel on or off for everyone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for channel, label in Channel.choices:
            self.fields[channel] = forms.BooleanField(label=label, required=False)
        bootstrap(self)

    def switches(self) -> dict[str, bool]:
        return {channel: bool(self.cleaned_data.get(channel)) for channel in Channel.values}


class UnitRobotForm(BootstrapFormMixin, forms.ModelForm):
    webhook = forms.URLField(label=_("Webhook 地址"), max_length=500, assume_scheme="https")

    class Meta:
        model = UnitRobot
        fields = ["unit", "channel", "webhook", "secret"]
        widgets = {"unit": FastSelect, "secret": forms.PasswordInput(render_value=True)}
        help_texts = {
            "webhook": _(
                "钉钉：https://oapi.dingtalk.com/robot/send?access_token=…；企业微信：https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
            ),
            "secret": _("钉钉机器人安全设置选择“加签”时填写（SEC 开头）；企业微信不需要。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c.value, c.label) for c in ROBOT_CHANNELS]
