"""What people add to a period: manual entries (by a named reviewer, approved by the office), appeals of a
line of a published ranking, and typical experiences (典型经验)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule
from duban.core.fields import weak_link
from duban.organisation.models import Unit

from .periods import Period, Snapshot
from .schemes import Indicator


def evidence_path(instance, filename: str) -> str:
    return f"assessment/{type(instance).__name__.lower()}/{filename}"


class EntryState(models.TextChoices):
    SUBMITTED = "submitted", _("待督查室审定")
    APPROVED = "approved", _("已审定")
    REJECTED = "rejected", _("未通过")


class ManualEntry(models.Model):
    """A reviewer's score or 加减分 item for a unit on a manual indicator; counts once the office approves."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="entries")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="entries"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("评分/分值"), max_digits=9, decimal_places=4)
    note = models.CharField(_("评分依据"), max_length=300)
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_path, max_length=255, blank=True)
    reviewer = weak_link(settings.AUTH_USER_MODEL, _("评分人"))
    state = models.CharField(
        _("状态"), max_length=10, choices=EntryState.choices, default=EntryState.SUBMITTED
    )
    decided_by = weak_link(settings.AUTH_USER_MODEL, _("审定人"), blank=True)
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    decision_note = models.CharField(_("审定意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    # The named reviewer (a leader scoring units outside his portfolio) reads the entries he scores.
    data_scope = ScopeRule(units=("unit",), leaders=("reviewer__leader",))

    class Meta:
        verbose_name = _("人工评分")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator}: {self.value}"


class AppealState(models.TextChoices):
    SUBMITTED = "submitted", _("待复核")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉不成立")


class Appeal(models.Model):
    """A unit's appeal (申诉) of one line of a published ranking; upheld, it revises the period as a new version."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="appeals")
    snapshot = models.ForeignKey(
        Snapshot, verbose_name=_("申诉版本"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("申诉单位"), on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("申诉指标"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("申诉理由"))
    claimed_value = models.DecimalField(
        _("申请更正为"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_path, max_length=255, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=AppealState.choices, default=AppealState.SUBMITTED
    )
    corrected_value = models.DecimalField(
        _("更正后的值"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    decision = models.TextField(_("复核意见"), blank=True)
    decided_by = weak_link(settings.AUTH_USER_MODEL, _("复核人"), blank=True)
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    revision = models.ForeignKey(
        Snapshot,
        verbose_name=_("更正后的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = weak_link(settings.AUTH_USER_MODEL, _("申诉人"), blank=True)
    created_at = models.DateTimeField(_("申诉时间"), auto_now_add=True)

    data_scope = ScopeRule(units=("unit",), owner="unit")

    class Meta:
        verbose_name = _("申诉")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator}"


class ExperienceState(models.TextChoices):
    SUBMITTED = "submitted", _("已报送")
    SELECTED = "selected", _("已选用")
    PUBLISHED = "published", _("已发布")
    REJECTED = "rejected", _("未选用")


class TypicalExperience(models.Model):
    """A unit's practice (典型经验): published by the office on the showcase, it counts as an 加分 item."""

    unit = models.ForeignKey(Unit, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("主要做法与成效"))
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_path, max_length=255, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=ExperienceState.choices, default=ExperienceState.SUBMITTED
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    decision = models.CharField(_("督查室意见"), max_length=300, blank=True)
    submitted_by = weak_link(settings.AUTH_USER_MODEL, _("报送人"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    decided_by = weak_link(settings.AUTH_USER_MODEL, _("选用人"), blank=True)

    data_scope = ScopeRule(units=("unit",), owner="unit")

    class Meta:
        verbose_name = _("典型经验")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.title
