from .views import pages

app_name = "directives"
urlpatterns = pages.urlpatterns
