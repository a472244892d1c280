"""A period of a scheme and its immutable snapshots: every computation is a new version, none is changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.fields import weak_link
from duban.organisation.models import Unit

from .schemes import SCHEME_SCOPE, Scheme


class LinesField(models.JSONField):
    """A JSON field kept out of PostgreSQL's UNNEST bulk insert (a field with `get_placeholder` is): psycopg
    quotes each JSON text into an array literal character by character, seconds for a province's rows."""

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class PeriodState(models.TextChoices):
    DRAFT = "draft", _("计算预览")
    PUBLISHED = "published", _("已发布（公示中）")
    FINAL = "final", _("已定稿")


class Period(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(_("考核期"), max_length=10)  # 2026-03, 2026-Q1, 2026
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    state = models.CharField(_("状态"), max_length=10, choices=PeriodState.choices, default=PeriodState.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    appeal_until = models.DateField(_("公示截止日期"), null=True, blank=True)
    current = models.ForeignKey(
        "Snapshot",
        verbose_name=_("现行版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    data_scope = SCHEME_SCOPE

    class Meta:
        verbose_name = _("考核期")
        ordering = ["scheme", "-starts_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["scheme", "label"], name="assessment_period_once")]

    def __str__(self) -> str:
        return f"{self.scheme} {self.label}"

    @property
    def is_published(self) -> bool:
        return self.state != PeriodState.DRAFT


class Snapshot(models.Model):
    """One computation of a period: the rules (rule version) and the input figures it used, and its rows."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveIntegerField(_("版本"))
    rule_version = models.CharField(_("规则版本"), max_length=16)
    # {"groups": {name: {"scheme": <the scoring JSON of the group>}}} — enough to compute it again.
    rules = models.JSONField(_("计分规则"))
    inputs = models.JSONField(_("输入数据"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = weak_link(settings.AUTH_USER_MODEL, _("计算人"), blank=True)
    created_at = models.DateTimeField(_("计算时间"), auto_now_add=True)

    data_scope = SCHEME_SCOPE

    class Meta:
        verbose_name = _("计分快照")
        ordering = ["period", "-version"]
        constraints = [models.UniqueConstraint(fields=["period", "version"], name="assessment_snapshot_once")]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"


class SnapshotRow(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="rows")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("分组"), max_length=60)
    separate = models.BooleanField(_("单列"), default=False)
    score = models.DecimalField(_("得分"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    rank_change = models.IntegerField(_("名次变化"), null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=20, blank=True)
    # [{"indicator", "name", "formula", "value", "weight", "points", "source"}], in the tree's order.
    lines = LinesField(_("得分明细"))

    data_scope = SCHEME_SCOPE

    class Meta:
        verbose_name = _("排名")
        ordering = ["snapshot", "pk"]
        indexes = [models.Index(fields=["snapshot", "unit"], name="assessment_row_unit")]

    def __str__(self) -> str:
        return f"{self.unit} {self.score}"
