from django.urls import path

from . import views

app_name = "weekly"
urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("export/", views.cycles_export, name="cycles_export"),
    path("mine/", views.my_report, name="my_report"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/remind/", views.cycle_remind, name="cycle_remind"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/reports.xlsx", views.cycle_reports_export, name="cycle_reports_export"),
    path("cycles/<int:pk>/bulletin/", views.bulletin_view, name="bulletin"),
    path("cycles/<int:pk>/bulletin/compile/", views.bulletin_compile, name="bulletin_compile"),
    path("cycles/<int:pk>/bulletin/status/", views.bulletin_status, name="bulletin_status"),
    path("cycles/<int:pk>/bulletin/<slug:kind>/", views.bulletin_download, name="bulletin_download"),
    path("cycles/<int:pk>/meeting/", views.meeting_create, name="meeting_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/reopen/", views.report_reopen, name="report_reopen"),
    path("items/<int:pk>/", views.item_save, name="item_save"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/decide/", views.agenda_decide, name="agenda_decide"),
    path("meetings/<int:pk>/minutes.docx", views.minutes_download, name="minutes_download"),
    path("meetings/<int:pk>/decisions.xlsx", views.decisions_export, name="decisions_export"),
]
