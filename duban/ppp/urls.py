from .views import pages

app_name = "ppp"
urlpatterns = pages.urlpatterns
