from duban.core.api.routers import Router

from .views import DeliveryViewSet, NotificationViewSet

router = Router()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("notification-deliveries", DeliveryViewSet, basename="notification-delivery")
urlpatterns = router.urls
