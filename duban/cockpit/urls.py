from .views import pages

app_name = "cockpit"
urlpatterns = pages.urlpatterns
