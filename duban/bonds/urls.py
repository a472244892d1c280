from .views import pages

app_name = "bonds"
urlpatterns = pages.urlpatterns
