from django.urls import path

from datamigration import views

app_name = "datamigration"

urlpatterns = [
    path("", views.ObjectListView.as_view(), name="object_list"),
    path("reconciliation/", views.ReconciliationView.as_view(), name="reconciliation"),
    path("objects/new/", views.ObjectCreateView.as_view(), name="object_create"),
    path("objects/<slug:name>/", views.ObjectDetailView.as_view(), name="object_detail"),
    path("objects/<slug:name>/fields/new/", views.FieldCreateView.as_view(), name="field_create"),
    path("objects/<slug:name>/template.<str:fmt>", views.TemplateDownloadView.as_view(), name="template"),
    path("objects/<slug:name>/upload/", views.UploadCreateView.as_view(), name="upload_create"),
    path("objects/<slug:name>/records/", views.RecordListView.as_view(), name="records"),
    path("objects/<slug:name>/records.<str:fmt>", views.RecordExportView.as_view(), name="records_export"),
    path("uploads/<int:pk>/", views.UploadDetailView.as_view(), name="upload_detail"),
    path("uploads/<int:pk>/encoding/", views.UploadEncodingView.as_view(), name="upload_encoding"),
    path("uploads/<int:pk>/run/", views.RunStartView.as_view(), name="run_start"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("runs/<int:pk>/progress/", views.RunProgressView.as_view(), name="run_progress"),
    path("runs/<int:pk>/cancel/", views.RunCancelView.as_view(), name="run_cancel"),
    path("runs/<int:pk>/errors.<str:fmt>", views.RunErrorsDownloadView.as_view(), name="run_errors_download"),
]
