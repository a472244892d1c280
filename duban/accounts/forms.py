from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin
from duban.organisation.models import Unit

from .models import User
from .rules import may_give_role


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    pass


class UserForm(BootstrapFormMixin, forms.ModelForm):
    password = forms.CharField(
        label=_("密码"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("新建用户必填；编辑时留空表示不修改。"),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "unit", "is_unit_head", "email", "phone", "is_active"]

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        # Offer only the roles this user may give (an administrator's role by administrators).
        self.fields["role"].choices = [
            (role, label) for role, label in self.fields["role"].choices if may_give_role.test(by, role)
        ]
        if not self.instance.pk:
            self.fields["password"].required = True


class PasswordChangeForm(BootstrapFormMixin, forms.Form):
    old_password = forms.CharField(
        label=_("原密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "至少 8 位，包含小写字母、大写字母、数字、符号中的至少 3 类；不能使用姓名拼音或“城市名 + 年份”。"
        ),
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password1") and cleaned.get("new_password1") != cleaned.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return cleaned


class SecondFactorForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("手机验证器（如微信小程序“腾讯身份验证器”、Google Authenticator）上显示的 6 位数字。"),
    )
