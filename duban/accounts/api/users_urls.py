from duban.core.api.routers import Router

from .views import UserViewSet

router = Router()
router.register("users", UserViewSet, basename="user")
urlpatterns = router.urls
