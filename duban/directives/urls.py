from . import escalation_views  # noqa: F401  (its pages join the app's routes)
from .views import pages

app_name = "directives"
urlpatterns = pages.urlpatterns
