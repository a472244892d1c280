from .views import pages

app_name = "core"
urlpatterns = pages.urlpatterns
