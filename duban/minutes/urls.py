from .views import pages

app_name = "minutes"
urlpatterns = pages.urlpatterns
