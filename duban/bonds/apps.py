from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BondsConfig(AppConfig):
    name = "duban.bonds"
    label = "bonds"
    verbose_name = _("专项债券")

    def ready(self):
        from duban.audit.registry import register_reader

        from . import models, selectors

        register_reader(models.BondProject, lambda user: selectors.project_list(user=user))
        register_reader(models.BondBatch, lambda user: selectors.batch_list(user=user))
        # A project's parts are shown on the project's page: their history is readable with it.
        for part in (
            models.CashFlowRow,
            models.ProjectDebt,
            models.ProjectDocument,
            models.BondApplication,
            models.Disbursement,
            models.Spending,
            models.ProjectEvent,
        ):
            register_reader(part, _parts_of_readable_projects(part))


def _parts_of_readable_projects(model):
    def reader(user):
        from . import selectors

        return model._default_manager.filter(project__in=selectors.project_list(user=user).values("pk"))

    return reader
