"""Minutes import: turn a meeting report into draft directives."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "duban.minutes"
    label = "minutes"
    verbose_name = _("会议纪要导入")
    default_auto_field = "django.db.models.BigAutoField"
