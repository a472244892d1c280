from rest_framework.routers import SimpleRouter

from .views import LeaderViewSet, ThemeViewSet, UnitViewSet

router = SimpleRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("themes", ThemeViewSet, basename="theme")
router.register("leaders", LeaderViewSet, basename="leader")
urlpatterns = router.urls
