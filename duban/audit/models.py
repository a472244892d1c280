"""The audit trail: one append-only entry per create, update and delete of business data.

django-auditlog writes the entries (field-by-field changes, actor, address, correlation id); our
entry model adds the channel the change came through. Entries are never changed or deleted: the
application refuses it (see signals.py) and so does the database (triggers in the migrations).
"""

from auditlog.models import AbstractLogEntry
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("网页")
    API = "api", _("接口")
    IMPORT = "import", _("导入")
    COMMAND = "command", _("命令行")
    JOB = "job", _("后台任务")
    SYSTEM = "system", _("系统")


# What the office reads for auditlog's actions (its own labels are English: create, update, …).
ACTION_LABELS = {
    AbstractLogEntry.Action.CREATE: _("新增"),
    AbstractLogEntry.Action.UPDATE: _("修改"),
    AbstractLogEntry.Action.DELETE: _("删除"),
    AbstractLogEntry.Action.ACCESS: _("查看"),
}


class AuditEntry(AbstractLogEntry):
    action = models.PositiveSmallIntegerField(_("操作"), choices=list(ACTION_LABELS.items()), db_index=True)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default=Channel.SYSTEM)

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-timestamp", "-pk"]
        # The list reads newest first, by itself or within one type of object, actor or channel.
        indexes = [
            models.Index(fields=["content_type", "object_pk"], name="audit_object_idx"),
            models.Index(fields=["-timestamp", "-id"], name="audit_newest_idx"),
            models.Index(fields=["content_type", "-timestamp", "-id"], name="audit_type_newest_idx"),
            models.Index(fields=["actor", "-timestamp", "-id"], name="audit_actor_newest_idx"),
            models.Index(fields=["channel", "-timestamp", "-id"], name="audit_channel_newest_idx"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"
