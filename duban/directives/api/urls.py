from duban.core.api.routers import Router

from .views import DirectiveViewSet, EscalationViewSet, MeetingViewSet, NoticeViewSet, ReminderViewSet

router = Router()
router.register("directives/escalations", EscalationViewSet, basename="escalation")
router.register("directives", DirectiveViewSet, basename="directive")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("notices", NoticeViewSet, basename="notice")
router.register("reminders", ReminderViewSet, basename="reminder")
urlpatterns = router.urls
