from duban.core.api.routers import Router

from .views import (
    AffordabilityViewSet,
    CampaignViewSet,
    ContractViewSet,
    ObligationViewSet,
    ProjectViewSet,
    ReviewViewSet,
    TaskViewSet,
)

router = Router()
router.register("projects", ProjectViewSet, basename="ppp-project")
router.register("obligations", ObligationViewSet, basename="ppp-obligation")
router.register("contracts", ContractViewSet, basename="ppp-contract")
router.register("campaigns", CampaignViewSet, basename="ppp-campaign")
router.register("reviews", ReviewViewSet, basename="ppp-review")
router.register("rectification-tasks", TaskViewSet, basename="ppp-task")
router.register("affordability", AffordabilityViewSet, basename="ppp-affordability")
urlpatterns = router.urls
