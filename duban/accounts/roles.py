"""The roles of Duban's users."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    OFFICE = "office", _("督查室")
    LEADER = "leader", _("市领导")
    LIAISON = "liaison", _("单位联络员")
    FINANCE = "finance", _("财政审核员")
    # 三员分立 (docs/security.md): reads the change audit trail and the security log, changes nothing.
    AUDITOR = "auditor", _("安全审计员")
