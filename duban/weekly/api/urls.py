from duban.core.api.routers import Router

from .views import CycleViewSet, DecisionViewSet, ReportItemViewSet, SnapshotItemViewSet, WeeklyReportViewSet

router = Router()
router.register("weekly/cycles", CycleViewSet, basename="weekly-cycle")
router.register("weekly/reports", WeeklyReportViewSet, basename="weekly-report")
router.register("weekly/items", ReportItemViewSet, basename="weekly-item")
router.register("weekly/snapshot-items", SnapshotItemViewSet, basename="weekly-snapshot-item")
router.register("weekly/decisions", DecisionViewSet, basename="weekly-decision")
urlpatterns = router.urls
