from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "duban.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import (
            security,  # noqa: F401  (records logins, failed logins and logouts in the security log)
            signals,  # noqa: F401  (connects the receivers that stamp and guard entries)
        )
        from .chain import register_sqlite_functions
        from .registry import discover_readers

        discover_readers()
        # SQLite's chain triggers hash with a function each connection of the application provides.
        connection_created.connect(
            lambda sender, connection, **kwargs: register_sqlite_functions(connection),
            dispatch_uid="audit_sqlite_chain_functions",
            weak=False,
        )
