from .views import pages

app_name = "organisation"
urlpatterns = pages.urlpatterns
