"""Django app configuration for the PPP programme (政府和社会资本合作)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PppConfig(AppConfig):
    name = "duban.ppp"
    label = "ppp"
    verbose_name = gettext_lazy("PPP项目")

    def ready(self):
        from duban.audit.registry import register_readers

        from . import selectors  # imports the rules too, registering the predicates the templates ask
        from .models import ContractReview, PPPProject, RectificationTask, ReviewCampaign

        # A history page reads its object through the selector of the object's own page.
        register_readers(
            {
                PPPProject: selectors.project_list,
                ContractReview: selectors.review_list,
                RectificationTask: selectors.task_list,
                ReviewCampaign: selectors.campaign_list,
            }
        )
