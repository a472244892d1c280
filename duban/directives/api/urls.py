from duban.core.api.routers import Router

from .views import DirectiveViewSet, MeetingViewSet

router = Router()
router.register("directives", DirectiveViewSet, basename="directive")
router.register("meetings", MeetingViewSet, basename="meeting")
urlpatterns = router.urls
