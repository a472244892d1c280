"""Surveys (数据填报): forms as versioned data with their statutory marks, rounds sending a form to
units, each unit's response (filled, submitted, approved or returned; a county's rolled up from its
townships), and the numeric answers as rows of a values table so that results are SQL."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule
from duban.core.concurrency import VersionedModel
from duban.core.fields import weak_link
from duban.organisation.models import Unit

from .definition import all_fields


class SurveyForm(models.Model):
    """One version of a form: its definition (checked against the schema) and its statutory marks
    (表号, 制定机关, 批准或备案机关 and 文号, 有效期至). An expired form accepts no data."""

    code = models.CharField(_("表格编码"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    title = models.CharField(_("表名"), max_length=120)
    definition = models.JSONField(_("表格定义"))
    table_number = models.CharField(_("表号"), max_length=40)
    issuer = models.CharField(_("制定机关"), max_length=80)
    approver = models.CharField(_("批准或备案机关"), max_length=80)
    approval_number = models.CharField(_("批准或备案文号"), max_length=80)
    valid_until = models.DateField(_("有效期至"))
    frequency_per_year = models.PositiveSmallIntegerField(_("每年填报次数"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    # The catalogue of forms is public: every unit may see what it may be asked to fill.
    data_scope = ScopeRule(public=True)

    class Meta:
        verbose_name = _("调查表")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="survey_form_version")]

    def __str__(self) -> str:
        return f"{self.title}（{self.table_number}）"

    @property
    def field_count(self) -> int:
        """Every field a unit fills, a table's columns counted once each."""
        return sum(
            len(f.get("columns", ())) if f["type"] == "table" else 1 for f in all_fields(self.definition)
        )

    def is_expired(self, today: date | None = None) -> bool:
        return (today or date.today()) > self.valid_until


class RoundState(models.TextChoices):
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已截止")


class SurveyRound(models.Model):
    """A form sent to units with a deadline (a working day); `rollup`: each county's townships fill
    too, and the county rolls them up before the city sees its total (逐级汇总)."""

    form = models.ForeignKey(
        SurveyForm, verbose_name=_("调查表"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("标题"), max_length=160)
    deadline = models.DateField(_("截止日期"))
    state = models.CharField(_("状态"), max_length=8, choices=RoundState.choices, default=RoundState.OPEN)
    rollup = models.BooleanField(_("逐级汇总"), default=False)
    previous = models.ForeignKey(
        "self", verbose_name=_("上一轮"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = weak_link(settings.AUTH_USER_MODEL, _("发起人"), blank=True)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    reminded_on = models.DateField(_("最近催报日期"), null=True, blank=True)

    # A unit sees the rounds it was sent (or its sub-units were); the office sees all.
    data_scope = ScopeRule(shared_units=("responses__unit",))

    class Meta:
        verbose_name = _("填报任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ResponseState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")


FILED_STATES = (ResponseState.SUBMITTED, ResponseState.RETURNED, ResponseState.APPROVED)


class SurveyResponse(VersionedModel):
    """A unit's answers in one round. A township's response in a round with roll-up has the county's
    response as `parent`: the county reviews it and rolls its figures up into its own."""

    round = models.ForeignKey(
        SurveyRound, verbose_name=_("填报任务"), on_delete=models.CASCADE, related_name="responses"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("汇总到"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=ResponseState.choices, default=ResponseState.DRAFT
    )
    answers = models.JSONField(_("填报内容"), default=dict, blank=True)
    prefilled = models.JSONField(_("预填字段"), default=list, blank=True)
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    rolled_up_at = models.DateTimeField(_("汇总时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    data_scope = ScopeRule(units=("unit",), owner="unit")

    class Meta:
        verbose_name = _("填报表")
        ordering = ["round", "unit__tree_path"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="survey_response_per_unit")]
        indexes = [models.Index(fields=["round", "state"], name="survey_response_round_state")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.round}"

    @property
    def is_late(self) -> bool:
        deadline = self.round.deadline
        if self.first_submitted_at:
            return self.first_submitted_at.date() > deadline
        return date.today() > deadline


class ResponseEvent(models.Model):
    """A step of a response's life (submitted, approved, returned with the reason, rolled up)."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=12, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    by = weak_link(settings.AUTH_USER_MODEL, _("操作人"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    data_scope = ScopeRule(units=("response__unit",))

    class Meta:
        verbose_name = _("填报记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.response} · {self.kind}"


class SurveyValue(models.Model):
    """One numeric answer (or one chosen option) of a response: the cache the results are summed
    from in SQL. Rewritten with the answers; not audited (the answers are)."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(max_length=130)
    row = models.PositiveIntegerField(default=0)
    number = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    text = models.CharField(max_length=100, blank=True)

    data_scope = ScopeRule(units=("response__unit",))

    class Meta:
        verbose_name = _("填报数值")
        # By response (rewriting one response's rows), by key (one field's figures per unit, the chart).
        indexes = [
            models.Index(fields=["response", "key"], name="survey_value_response_key"),
            models.Index(fields=["key", "response"], name="survey_value_key_response"),
        ]

    def __str__(self) -> str:
        return f"{self.key}[{self.row}]"


class ResponseFile(models.Model):
    """A file a unit attaches for a `file` field; the answer holds its id."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("附件"), upload_to="surveys/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = weak_link(settings.AUTH_USER_MODEL, _("上传人"), blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    data_scope = ScopeRule(units=("response__unit",), owner="response__unit")

    class Meta:
        verbose_name = _("填报附件")

    def __str__(self) -> str:
        return self.name
