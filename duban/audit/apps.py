from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "duban.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self):
        from . import (
            security,  # noqa: F401  (records logins, failed logins and logouts in the security log)
            signals,  # noqa: F401  (connects the receivers that stamp and guard entries)
        )
        from .registry import discover_readers

        discover_readers()
