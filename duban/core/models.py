"""The platform's own rows: submissions already received (so that a form or an API call lands once)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
