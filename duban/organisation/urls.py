from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("export/", views.unit_export, name="unit_export"),
    path("import/", views.unit_import, name="unit_import"),
    path("new/", views.unit_create, name="unit_create"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("<int:pk>/toggle-active/", views.unit_toggle_active, name="unit_toggle_active"),
    path("leaders/", views.leader_list, name="leader_list"),
    path("leaders/new/", views.leader_create, name="leader_create"),
    path("leaders/<int:pk>/edit/", views.leader_edit, name="leader_edit"),
]
