from django.urls import path

from . import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.override_list, name="override_list"),
    path("<int:pk>/delete/", views.override_delete, name="override_delete"),
]
