from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "duban.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self):
        from duban.audit.registry import register_readers

        from . import selectors
        from .models import EmailPreference, Notification

        # Private to their owner: their history too, for the office as for everyone else.
        register_readers(
            {Notification: selectors.notification_list, EmailPreference: selectors.email_preference_list}
        )
