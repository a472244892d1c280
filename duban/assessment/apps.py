"""Django app configuration for assessment and ranking (考核排名)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AssessmentConfig(AppConfig):
    name = "duban.assessment"
    label = "assessment"
    verbose_name = gettext_lazy("考核排名")

    def ready(self):
        # The published typical experiences go into the weekly bulletin through the weekly app's
        # registry of bulletin sections (the weekly app does not know the assessment).
        from duban.weekly.providers import register_bulletin_section

        from .bulletin import ExperienceSection

        register_bulletin_section(ExperienceSection())
