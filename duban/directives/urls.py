from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("", views.board, name="board"),
    path("mine/", views.my_work, name="my_work"),
    path("export/", views.export, name="export"),
    path("import/", views.import_ledger, name="import"),
    path("new/", views.create, name="create"),
    path("assign/", views.bulk_assign, name="bulk_assign"),
    path("remind/", views.remind, name="remind"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:notice_pk>/", views.notice_download, name="notice_download"),
    path("evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/transition/<slug:name>/", views.transition, name="transition"),
    path("<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/milestones/<int:milestone_pk>/", views.milestone_update, name="milestone_update"),
    path("<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("<int:pk>/comments/<int:comment_pk>/reply/", views.comment_reply, name="comment_reply"),
    path("<int:pk>/split/", views.split, name="split"),
    path("<int:pk>/notice/", views.notice_issue, name="notice_issue"),
]
