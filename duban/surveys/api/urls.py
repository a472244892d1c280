from duban.core.api.routers import Router

from .views import SurveyViewSet

router = Router()
router.register("surveys", SurveyViewSet, basename="survey")
urlpatterns = router.urls
