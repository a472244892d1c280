from django.urls import path

from duban.core.api.routers import Router

from .views import ApplicationViewSet, BatchViewSet, FiguresView, ProjectViewSet

router = Router()
router.register("projects", ProjectViewSet, basename="bond-project")
router.register("batches", BatchViewSet, basename="bond-batch")
router.register("applications", ApplicationViewSet, basename="bond-application")
urlpatterns = [path("figures/", FiguresView.as_view(), name="bond-figures"), *router.urls]
