from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin
from duban.organisation.models import Unit

from .models import User
from .roles import Role


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
        fields = ["username", "full_name", "role", "unit", "email", "phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        if not self.instance.pk:
            self.fields["password"].required = True


class UserFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部角色")), *Role.choices])
