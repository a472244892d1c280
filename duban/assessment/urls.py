from .views import pages

app_name = "assessment"
urlpatterns = pages.urlpatterns
