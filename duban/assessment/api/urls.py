from duban.core.api.routers import Router

from .views import AppealViewSet, ManualEntryViewSet, SchemeViewSet

router = Router()
router.register("schemes", SchemeViewSet, basename="assessment-scheme")
router.register("appeals", AppealViewSet, basename="assessment-appeal")
router.register("entries", ManualEntryViewSet, basename="assessment-entry")
urlpatterns = router.urls
