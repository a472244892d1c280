from duban.core.api.routers import Router

from .views import CampaignViewSet, MeasureViewSet

router = Router()
router.register("measures", MeasureViewSet, basename="incentive-measure")
router.register("campaigns", CampaignViewSet, basename="incentive-campaign")
urlpatterns = router.urls
