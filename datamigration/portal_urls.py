"""Client portal: key users download templates, upload files and start validation runs."""

from django.urls import path

from datamigration import views
from datamigration.views import portal

app_name = "datamigration-portal"

urlpatterns = [
    path("", portal(views.ObjectListView).as_view(), name="object_list"),
    path("objects/<slug:name>/template.<str:fmt>", portal(views.TemplateDownloadView).as_view(), name="template"),
    path("objects/<slug:name>/upload/", portal(views.UploadCreateView).as_view(), name="upload_create"),
    path("uploads/<int:pk>/", portal(views.UploadDetailView).as_view(), name="upload_detail"),
    path("uploads/<int:pk>/encoding/", portal(views.UploadEncodingView).as_view(), name="upload_encoding"),
    path("uploads/<int:pk>/run/", portal(views.RunStartView).as_view(), name="run_start"),
    path("runs/<int:pk>/", portal(views.RunDetailView).as_view(), name="run_detail"),
    path("runs/<int:pk>/progress/", portal(views.RunProgressView).as_view(), name="run_progress"),
    path("runs/<int:pk>/cancel/", portal(views.RunCancelView).as_view(), name="run_cancel"),
    path("runs/<int:pk>/errors.<str:fmt>", portal(views.RunErrorsDownloadView).as_view(), name="run_errors_download"),
]
