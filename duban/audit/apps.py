from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "duban.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers that stamp and guard entries)
        from .registry import discover_readers

        discover_readers()
