from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "duban.directives"
    label = "directives"
    verbose_name = _("督办事项")

    def ready(self):
        from duban.audit.registry import register_readers

        from . import selectors
        from .models import Directive, Meeting

        register_readers({Directive: selectors.directive_list, Meeting: selectors.meeting_list})
