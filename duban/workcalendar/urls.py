from .views import pages

app_name = "workcalendar"
urlpatterns = pages.urlpatterns
