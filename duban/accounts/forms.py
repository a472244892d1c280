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
        fields = ["username", "full_name", "role", "unit", "email", "phone", "is_active"]

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        # Offer only the roles this user may give (an administrator's role by administrators).
        self.fields["role"].choices = [
            (role, label) for role, label in self.fields["role"].choices if may_give_role.test(by, role)
        ]
        if not self.instance.pk:
            self.fields["password"].required = True
