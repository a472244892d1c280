from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "duban.surveys"
    label = "surveys"
    verbose_name = _("数据填报")

    def ready(self):
        from django.utils.translation import gettext

        from .definition import text

        text.install(gettext)
