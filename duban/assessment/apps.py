"""Django app configuration for assessment and ranking (考核排名)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AssessmentConfig(AppConfig):
    name = "duban.assessment"
    label = "assessment"
    verbose_name = gettext_lazy("考核排名")
