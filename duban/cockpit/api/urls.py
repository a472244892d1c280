from django.urls import path

from .views import CockpitView

urlpatterns = [path("cockpit/", CockpitView.as_view(), name="cockpit")]
