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

        # A weekly meeting has one page, this app's: the directives' meeting page sends there.
        from duban.directives.selectors import MEETING_PAGES

        from .selectors import weekly_meeting_page

        MEETING_PAGES["weekly"] = weekly_meeting_page
