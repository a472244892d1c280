from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BondsConfig(AppConfig):
    name = "duban.bonds"
    label = "bonds"
    verbose_name = _("专项债券")
