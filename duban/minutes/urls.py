from django.urls import path

from . import views

app_name = "minutes"
urlpatterns = [
    path("", views.draft_list, name="draft_list"),
    path("<int:pk>/", views.draft_detail, name="draft_detail"),
    path("<int:pk>/meeting/", views.draft_meeting, name="draft_meeting"),
    path("<int:pk>/pending/", views.draft_pending, name="draft_pending"),
    path("<int:pk>/rows/<int:key>/", views.row_show, name="row_show"),
    path("<int:pk>/rows/<int:key>/edit/", views.row_edit, name="row_edit"),
    path("<int:pk>/rows/<int:key>/merge/", views.row_merge, name="row_merge"),
    path("<int:pk>/rows/<int:key>/split/", views.row_split, name="row_split"),
    path("<int:pk>/rows/<int:key>/drop/", views.row_drop, name="row_drop"),
]
