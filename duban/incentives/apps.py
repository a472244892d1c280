"""Django app configuration for the supervision incentives (督查激励)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class IncentivesConfig(AppConfig):
    name = "duban.incentives"
    label = "incentives"
    verbose_name = gettext_lazy("督查激励")
