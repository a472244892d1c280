from django.urls import path

from . import views

app_name = "bonds"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("export/", views.project_export, name="project_export"),
    path("new/", views.project_create, name="project_create"),
    path("overview/", views.overview, name="overview"),
    path("overview/export/", views.overview_export, name="overview_export"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/export/", views.batch_export, name="batch_export"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/do/<str:name>/", views.project_transition, name="project_transition"),
    path("<int:pk>/balance/", views.balance_panel, name="balance_panel"),
    path("<int:pk>/balance/export/", views.balance_export, name="balance_export"),
    path("<int:pk>/cashflows/", views.cashflow_grid, name="cashflow_grid"),
    path("<int:pk>/cashflows/new/", views.cashflow_save, name="cashflow_create"),
    path("<int:pk>/cashflows/import/", views.cashflow_import, name="cashflow_import"),
    path("<int:pk>/cashflows/export/", views.cashflow_export, name="cashflow_export"),
    path("<int:pk>/cashflows/<int:row_pk>/edit/", views.cashflow_edit, name="cashflow_edit"),
    path("<int:pk>/cashflows/<int:row_pk>/save/", views.cashflow_save, name="cashflow_save"),
    path("<int:pk>/cashflows/<int:row_pk>/delete/", views.cashflow_delete, name="cashflow_delete"),
    path("<int:pk>/debts/new/", views.debt_add, name="debt_add"),
    path("<int:pk>/debts/<int:debt_pk>/delete/", views.debt_delete, name="debt_delete"),
    path("<int:pk>/documents/new/", views.document_add, name="document_add"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
    path("<int:pk>/documents/<int:document_pk>/delete/", views.document_delete, name="document_delete"),
]
