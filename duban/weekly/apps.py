from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeeklyConfig(AppConfig):
    name = "duban.weekly"
    label = "weekly"
    verbose_name = _("周报告与周例会")

    def ready(self):
        from duban.audit.registry import register_readers

        from . import providers, selectors
        from .models import AgendaItem, Bulletin, ReportingCycle, ReportItem, WeeklyMeeting, WeeklyReport

        # Each app that has items to report registers its provider; directives' lives here because
        # directives came first and knows nothing of the weekly cycle.
        providers.register(providers.DirectiveProvider())
        # A history is read through the selector of the page that shows the object (a report's items
        # through its report: a leader never reads a draft, not even its history).
        register_readers(
            {
                ReportingCycle: selectors.cycle_list,
                WeeklyReport: selectors.report_list,
                ReportItem: selectors.item_list,
                Bulletin: selectors.bulletin_list,
                WeeklyMeeting: selectors.weekly_meeting_list,
                AgendaItem: selectors.agenda_list,
            }
        )
