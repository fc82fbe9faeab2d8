"""Dashboard routes, mounted at ``/projects/<code>/discovery/``."""

from django.urls import path

from phases.discovery import views as v

app_name = "discovery"


def _crud(prefix: str, segment: str, list_view, detail_view, edit_view, delete_view):
    return [
        path(f"{segment}/", list_view.as_view(), name=f"{prefix}_list"),
        path(f"{segment}/new/", edit_view.as_view(), name=f"{prefix}_create"),
        path(f"{segment}/<int:pk>/", detail_view.as_view(), name=f"{prefix}_detail"),
        path(f"{segment}/<int:pk>/edit/", edit_view.as_view(), name=f"{prefix}_edit"),
        path(f"{segment}/<int:pk>/delete/", delete_view.as_view(), name=f"{prefix}_delete"),
    ]


urlpatterns = [
    path("", v.Overview.as_view(), name="overview"),
    path("signoff/request/", v.SignoffRequest.as_view(), name="signoff_request"),
    path("requirements/import/", v.RequirementImport.as_view(), name="requirement_import"),
    path("requirements/export/", v.RequirementExport.as_view(), name="requirement_export"),
    path("requirements/<int:pk>/status/", v.RequirementStatus.as_view(), name="requirement_status"),
    path("kickoffs/<int:pk>/raci/", v.KickoffRaci.as_view(), name="kickoff_raci"),
    path("kickoffs/<int:pk>/print/", v.KickoffPrint.as_view(), name="kickoff_print"),
    path("documents/<int:pk>/download/", v.DocumentDownload.as_view(), name="document_download"),
    *_crud("kickoff", "kickoffs", v.KickoffList, v.KickoffDetail, v.KickoffEdit, v.KickoffDelete),
    *_crud(
        "stakeholder", "stakeholders", v.StakeholderList, v.StakeholderDetail, v.StakeholderEdit, v.StakeholderDelete
    ),
    *_crud("process", "processes", v.ProcessList, v.ProcessDetail, v.ProcessEdit, v.ProcessDelete),
    *_crud(
        "requirement", "requirements", v.RequirementList, v.RequirementDetail, v.RequirementEdit, v.RequirementDelete
    ),
    *_crud("raid", "raid", v.RaidList, v.RaidDetail, v.RaidEdit, v.RaidDelete),
    *_crud("wave", "waves", v.WaveList, v.WaveDetail, v.WaveEdit, v.WaveDelete),
    *_crud("document", "documents", v.DocumentList, v.DocumentDetail, v.DocumentEdit, v.DocumentDelete),
]
