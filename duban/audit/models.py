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


class AuditEntry(AbstractLogEntry):
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default=Channel.SYSTEM)

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-timestamp", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_pk"], name="audit_object_idx"),
            models.Index(fields=["-timestamp"], name="audit_time_idx"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"
