from duban.core.api.routers import Router

from .views import AppealViewSet, ExperienceViewSet, ManualEntryViewSet, SchemeViewSet

router = Router()
router.register("schemes", SchemeViewSet, basename="assessment-scheme")
router.register("appeals", AppealViewSet, basename="assessment-appeal")
router.register("entries", ManualEntryViewSet, basename="assessment-entry")
router.register("experiences", ExperienceViewSet, basename="assessment-experience")
urlpatterns = router.urls
