from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "duban.directives"
    label = "directives"
    verbose_name = _("督办事项")

    def ready(self):
        from duban.audit.registry import register_reader

        from . import selectors
        from .models import Directive, Meeting

        register_reader(Directive, lambda user: selectors.directive_list(user=user))
        register_reader(Meeting, lambda user: selectors.meeting_list(user=user))
