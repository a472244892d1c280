from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import DraftViewSet, ExtractView

router = SimpleRouter()
router.register("drafts", DraftViewSet, basename="minutes-draft")
urlpatterns = [path("extract/", ExtractView.as_view(), name="minutes-extract"), *router.urls]
