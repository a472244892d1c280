from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "duban.organisation"
    label = "organisation"
    verbose_name = _("单位与领导")

    def ready(self):
        from duban.audit.registry import register_readers

        from . import selectors
        from .models import Leader, Unit

        register_readers({Unit: selectors.unit_list, Leader: selectors.leader_list})
