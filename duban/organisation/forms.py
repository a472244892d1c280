from django import forms
from django.utils.translation import gettext_lazy as _

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.core.forms import BootstrapFormMixin

from .models import Leader, Theme, Unit, UnitKind


class VersionedForm(BootstrapFormMixin, forms.ModelForm):
    """Carries the version the edit started from, so a save over someone else's is refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["expected_version"].initial = self.instance.version


class UnitForm(VersionedForm):
    aliases = forms.CharField(
        label=_("别名"), required=False, help_text=_("多个别名用顿号或逗号分隔，如：财政局、市财政")
    )

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "aliases", "kind", "parent", "sort_order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["aliases"] = "、".join(self.instance.aliases)
        self.fields["parent"].queryset = Unit.objects.filter(is_active=True)


class UnitFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("名称或编码"), required=False)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *UnitKind.choices]
    )
    active = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("1", _("启用")), ("0", _("停用"))]
    )


class UnitImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class LeaderForm(VersionedForm):
    class Meta:
        model = Leader
        fields = ["name", "post", "title", "user", "units", "themes", "sort_order", "is_active"]
        widgets = {"units": forms.SelectMultiple(attrs={"size": 12}), "themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(is_active=True)
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True)
        self.fields["user"].queryset = User.objects.filter(role=Role.LEADER, is_active=True)
