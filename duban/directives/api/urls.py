from rest_framework.routers import SimpleRouter

from .views import DirectiveViewSet, MeetingViewSet

router = SimpleRouter()
router.register("directives", DirectiveViewSet, basename="directive")
router.register("meetings", MeetingViewSet, basename="meeting")
urlpatterns = router.urls
