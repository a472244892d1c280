"""The roles of Duban's users."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    OFFICE = "office", _("督查室")
    LEADER = "leader", _("市领导")
    LIAISON = "liaison", _("单位联络员")
    FINANCE = "finance", _("财政审核员")
    # 三员分立 (docs/security.md): the system administrator (ADMIN) runs the platform; the security
    # administrator keeps accounts safe (lockouts, authenticators, API tokens, the security log) and
    # reads no business data; the auditor reads both audit logs and changes nothing.
    SECURITY = "security", _("安全管理员")
    AUDITOR = "auditor", _("安全审计员")


# The three administrators: given, and their accounts changed, by system administrators only.
PRIVILEGED_ROLES = frozenset({Role.ADMIN, Role.SECURITY, Role.AUDITOR})
