from duban.core.api.routers import Router

from .views import LeaderViewSet, ThemeViewSet, UnitViewSet

router = Router()
router.register("units", UnitViewSet, basename="unit")
router.register("themes", ThemeViewSet, basename="theme")
router.register("leaders", LeaderViewSet, basename="leader")
urlpatterns = router.urls
