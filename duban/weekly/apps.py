from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeeklyConfig(AppConfig):
    name = "duban.weekly"
    label = "weekly"
    verbose_name = _("周报告与周例会")

    def ready(self):
        from . import providers

        # Each app that has items to report registers its provider; directives' lives here because
        # directives came first and knows nothing of the weekly cycle.
        providers.register(providers.DirectiveProvider())
