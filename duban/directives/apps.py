from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "duban.directives"
    label = "directives"
    verbose_name = _("督办事项")
