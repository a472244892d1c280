from .views import pages

app_name = "audit"
urlpatterns = pages.urlpatterns
