from .views import pages

app_name = "notifications"
urlpatterns = pages.urlpatterns
