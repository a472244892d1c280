from django.urls import path

from duban.core.api.routers import Router

from .views import DraftViewSet, ExtractView

router = Router()
router.register("drafts", DraftViewSet, basename="minutes-draft")
urlpatterns = [path("extract/", ExtractView.as_view(), name="minutes-extract"), *router.urls]
