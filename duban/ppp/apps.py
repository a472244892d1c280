"""Django app configuration for the PPP programme (政府和社会资本合作)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PppConfig(AppConfig):
    name = "duban.ppp"
    label = "ppp"
    verbose_name = gettext_lazy("PPP项目")
