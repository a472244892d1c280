"""A minutes import in progress: the source text, what the engine read from it, and the office's edits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.concurrency import VersionedModel
from duban.core.fields import weak_link
from duban.directives.selectors import MEETING_KIND_CHOICES, MEETING_KIND_OTHER
from duban.organisation.models import Leader

# The meeting's details the office edits on a draft (the page's form and the API's PATCH).
MEETING_FIELDS = ["title", "meeting_kind", "meeting_date", "chair", "default_deadline", "assign"]


class DraftState(models.TextChoices):
    EXTRACTING = "extracting", _("提取中")
    FAILED = "failed", _("提取失败")
    DRAFT = "draft", _("待确认")
    CONFIRMED = "confirmed", _("已确认")


class MinutesDraft(VersionedModel):
    """Kept in the database (not the session) so that a long edit survives and every change is audited.

    `rows` holds the draft directives as the office edits them, one dict per row:
    `{"key", "title", "text", "original", "start", "end", "nstart", "nend", "theme", "leader",
    "lead_unit", "co_units", "deadline", "deadline_text", "notes"}` — `start`/`end` index the source
    text, `nstart`/`nend` the normalised text; `leader`, `lead_unit`, `co_units` are ids.

    `version` goes up with every change, so that an edit made from an older state of the draft (by
    someone else in another window) is refused rather than silently undoing theirs.
    """

    title = models.CharField(_("会议名称"), max_length=200, blank=True)
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    source_text = models.TextField(_("原文"))
    # Empty while a long text waits for the background worker.
    normalized_text = models.TextField(_("规范化文本"), blank=True)
    # What the engine returned, as `duban minutes extract --json` prints it; never edited.
    extraction = models.JSONField(_("提取结果"), default=dict, blank=True)
    rows = models.JSONField(_("督办事项草稿"), default=list, blank=True)
    # len(rows), kept by save() so that the list of imports need not read every draft's rows.
    row_count = models.PositiveIntegerField(_("事项数"), default=0, editable=False)
    next_key = models.PositiveIntegerField(default=1, editable=False)
    meeting_kind = models.CharField(
        _("会议类型"), max_length=32, choices=MEETING_KIND_CHOICES, default=MEETING_KIND_OTHER
    )
    meeting_date = models.DateField(_("会议日期"), null=True, blank=True)
    chair = weak_link(Leader, _("主持人"), blank=True)
    attendees = models.JSONField(_("出席领导"), default=list, blank=True)
    default_deadline = models.DateField(
        _("默认办理时限"), null=True, blank=True, help_text=_("用于原文未写明期限的事项。")
    )
    assign = models.BooleanField(_("确认后直接交办"), default=False)
    state = models.CharField(_("状态"), max_length=16, choices=DraftState.choices, default=DraftState.DRAFT)
    # A long text is extracted by the background worker: how far it got, and why it failed.
    progress = models.PositiveSmallIntegerField(_("提取进度（%）"), default=100)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    meeting = weak_link("directives.Meeting", _("会议"), blank=True)
    created_by = weak_link(settings.AUTH_USER_MODEL, _("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    confirmed_by = weak_link(settings.AUTH_USER_MODEL, _("确认人"), blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    # No data_scope: only the office (and administrators) see drafts.

    class Meta:
        verbose_name = _("会议纪要导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or self.source_name or f"#{self.pk}"

    def save(self, *args, **kwargs):
        self.row_count = len(self.rows or [])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "rows" in update_fields:
            kwargs["update_fields"] = {*update_fields, "row_count"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.state == DraftState.DRAFT

    @property
    def is_extracting(self) -> bool:
        return self.state == DraftState.EXTRACTING
