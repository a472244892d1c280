from .views import pages

app_name = "surveys"
urlpatterns = pages.urlpatterns
