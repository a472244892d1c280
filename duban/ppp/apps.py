"""Django app configuration for the PPP programme (政府和社会资本合作)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PppConfig(AppConfig):
    name = "duban.ppp"
    label = "ppp"
    verbose_name = gettext_lazy("PPP项目")

    def ready(self):
        from duban.audit.registry import register_reader

        from . import selectors
        from .models import PPPProject

        register_reader(PPPProject, lambda user: selectors.project_list(user=user))
