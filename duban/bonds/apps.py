from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BondsConfig(AppConfig):
    name = "duban.bonds"
    label = "bonds"
    verbose_name = _("专项债券")

    def ready(self):
        from duban.audit.registry import register_readers

        from . import models, selectors

        parts = (
            models.CashFlowRow,
            models.ProjectDebt,
            models.ProjectDocument,
            models.BondApplication,
            models.Disbursement,
            models.Spending,
            models.ProjectEvent,
        )
        register_readers(
            {
                models.BondProject: selectors.project_list,
                models.BondBatch: selectors.batch_list,
                # A project's parts are shown on the project's page: their history is readable with it.
                **{part: _parts_of_readable_projects(part) for part in parts},
            }
        )


def _parts_of_readable_projects(model):
    def reader(user):
        from . import selectors

        return model._default_manager.filter(project__in=selectors.project_list(user=user).values("pk"))

    return reader
