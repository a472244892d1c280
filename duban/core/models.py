"""The platform's own rows: submissions already received (so that a form or an API call lands once), and
the Excel imports run by the background worker."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule


class Submission(models.Model):
    """A form or an API request that was received, by its key: the token the form was issued with,
    or the caller's Idempotency-Key. Claimed in the transaction of the work it triggers, so that a
    double click, a Back-then-save or a retried request does the work once (`core/once.py`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE)
    key = models.CharField(_("提交标识"), max_length=80)
    path = models.CharField(_("地址"), max_length=255)
    # What the first submission answered: {"url": …} for a page, {"status", "body", "content_type"}
    # for an API call; replayed to the repeats.
    outcome = models.JSONField(_("处理结果"), default=dict, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表单提交记录")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="submission_once_per_user")]
        indexes = [models.Index(fields=["user", "created_at"], name="submission_user_time")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("未完成")


def import_file_path(job, filename: str) -> str:
    return f"imports/{job.created_at:%Y/%m}/{filename}" if job.created_at else f"imports/{filename}"


class ImportJob(models.Model):
    """A large Excel import run by the background worker (`core/imports.py: import_start`): who started
    it, what it imports, how far it got and how it ended. The file is kept until the job ends. While
    it runs, its live figures are in the jobs cache (`core/jobs.py`); they are written here when it ends.

    Only the user who started it and the office read a job (`core/selectors.py: import_job_list`)."""

    title = models.CharField(_("导入内容"), max_length=200)
    # The import (a SheetImport subclass, by its dotted path) and what it is made with and run with.
    importer = models.CharField(_("导入程序"), max_length=200)
    arguments = models.JSONField(_("导入对象"), default=dict, blank=True)
    options = models.JSONField(_("导入选项"), default=dict, blank=True)
    file = models.FileField(_("导入文件"), upload_to=import_file_path, max_length=255, blank=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    state = models.CharField(_("状态"), max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    percent = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    message = models.TextField(_("结果"), blank=True)
    # The rows at fault as the import page lists them ("第 3 行：…"), when the sheet was refused.
    row_errors = models.JSONField(_("错误行"), default=list, blank=True)
    # Where the user goes from a finished job: what was imported, and the upload form again.
    success_url = models.CharField(_("完成后前往"), max_length=255, blank=True)
    form_url = models.CharField(_("导入页面"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    # The office reads every job; everyone else only their own (the selector adds those).
    data_scope = ScopeRule()

    class Meta:
        verbose_name = _("后台导入")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="importjob_user_time")]

    def __str__(self) -> str:
        return f"{self.title}（{self.file_name}）"

    @property
    def is_running(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)
