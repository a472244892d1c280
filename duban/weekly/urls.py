from .views import pages

app_name = "weekly"
urlpatterns = pages.urlpatterns
