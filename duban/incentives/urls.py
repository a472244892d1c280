from .views import pages

app_name = "incentives"
urlpatterns = pages.urlpatterns
