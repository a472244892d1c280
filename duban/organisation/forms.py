"""The organisation's page forms: units and leaders, each carrying the version its edit started from."""

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.core.forms import BootstrapFormMixin

from .models import Leader, Theme, Unit


class VersionedForm(BootstrapFormMixin, forms.ModelForm):
    """Carries the version the edit started from, so a save over someone else's is refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["expected_version"].initial = self.instance.version

    @property
    def changes(self) -> dict:
        """The edited fields, for the service (everything but the version)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}

    @property
    def version(self) -> int:
        """The version the edit started from (a form without one conflicts with any saved version)."""
        return self.cleaned_data.get("expected_version") or 0


class UnitForm(VersionedForm):
    aliases = forms.CharField(
        label=_("别名"), required=False, help_text=_("多个别名用顿号或逗号分隔，如：财政局、市财政")
    )

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "short_name",
            "aliases",
            "kind",
            "parent",
            "sort_order",
            "is_active",
            "requires_head_approval",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["aliases"] = "、".join(self.instance.aliases)
        self.fields["parent"].queryset = Unit.objects.filter(is_active=True)


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
