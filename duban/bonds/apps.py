from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BondsConfig(AppConfig):
    name = "duban.bonds"
    label = "bonds"
    verbose_name = _("专项债券")

    def ready(self):
        from duban.audit.registry import register_reader

        from . import selectors
        from .models import BondBatch, BondProject

        register_reader(BondProject, lambda user: selectors.project_list(user=user))
        register_reader(BondBatch, lambda user: selectors.batch_list(user=user))
