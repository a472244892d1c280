"""The incentive pages' forms; the lists' filters are the FilterSets of `filters.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import BootstrapFormMixin, PercentField
from duban.core.widgets import DateInput
from duban.organisation.forms import VersionedForm
from duban.organisation.models import Leader, Unit, UnitKind

from .models import Campaign, Criterion, Level, Measure, MeasureList

LEVEL_CHOICES = Level.choices


def _url_field(label):
    return forms.URLField(label=label, max_length=400, required=False, assume_scheme="https")


class MeasureForm(VersionedForm):
    source_url = _url_field(_("来源网址"))
    levels = forms.MultipleChoiceField(
        label=_("激励层级"), choices=LEVEL_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Measure
        fields = [
            "measure_list", "number", "area", "title", "levels", "ministry", "reward",
            "source_url", "verified", "verification_note", "is_active",
        ]  # fmt: skip
        widgets = {"title": forms.Textarea(attrs={"rows": 2}), "reward": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure_list"].queryset = MeasureList.objects.all()


class CampaignOpenForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "measure",
            "year",
            "county",
            "lead_unit",
            "leader",
            "period_start",
            "period_end",
            "submission_due",
        ]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "submission_due": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(is_active=True).select_related(
            "measure_list"
        )
        self.fields["lead_unit"].queryset = Unit.objects.filter(is_active=True)
        self.fields["county"].queryset = Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True)
        self.fields["leader"].queryset = Leader.objects.filter(is_active=True)

    def validate_unique(self):
        """The service says whether the measure already has a campaign this year."""


class CampaignForm(VersionedForm):
    class Meta:
        model = Campaign
        fields = ["lead_unit", "leader", "period_start", "period_end", "submission_due"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "submission_due": DateInput()}


class CriterionForm(VersionedForm):
    source_url = _url_field(_("依据网址"))

    class Meta:
        model = Criterion
        fields = ["text", "source", "source_url", "target", "target_ratio", "standing", "live_source"]
        field_classes = {"target_ratio": PercentField}
        widgets = {"standing": forms.Textarea(attrs={"rows": 3})}


class EvidenceForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=200, help_text=_("同名材料再次上传即为新版本"))
    criterion = forms.ModelChoiceField(label=_("对应指标"), queryset=Criterion.objects.none(), required=False)
    file = forms.FileField(label=_("文件"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["criterion"].queryset = campaign.criteria.all()


class SubmitForm(BootstrapFormMixin, forms.Form):
    submitted_on = forms.DateField(label=_("报送日期"), widget=DateInput(), required=False)


class ReasonForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("理由"), max_length=500)


class DecisionForm(BootstrapFormMixin, forms.Form):
    commended = forms.TypedChoiceField(
        label=_("结果"),
        choices=[("1", _("获得激励")), ("0", _("未获激励"))],
        coerce=lambda v: v == "1",
    )
    announced_on = forms.DateField(label=_("通报日期"), widget=DateInput())
    reward = forms.CharField(label=_("获得奖励"), max_length=300, required=False)
    reward_amount = forms.DecimalField(
        label=_("奖励金额（万元）"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    province_reward = forms.CharField(label=_("省配套激励"), max_length=300, required=False)
    province_amount = forms.DecimalField(
        label=_("省配套金额（万元）"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
