from django.urls import path

from testing import views

app_name = "testing-portal"

urlpatterns = [
    path("", views.UatHomeView.as_view(), name="uat_home"),
    path("scope/<int:cc>/run/", views.PortalExecutionStartView.as_view(), name="execution_start"),
    path("executions/<int:pk>/", views.PortalExecutionDetailView.as_view(), name="execution_detail"),
    path("executions/<int:pk>/steps/<int:order>/", views.PortalExecutionStepView.as_view(), name="execution_step"),
    path("executions/<int:pk>/finish/", views.PortalExecutionFinishView.as_view(), name="execution_finish"),
    path("executions/<int:pk>/evidence/", views.PortalEvidenceUploadView.as_view(), name="evidence_upload"),
    path("executions/<int:pk>/defect/", views.PortalDefectFromStepView.as_view(), name="execution_defect"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("cycles/<int:pk>/signoff/", views.PortalSignoffView.as_view(), name="cycle_signoff"),
    path("defects/<int:pk>/transition/", views.PortalDefectTransitionView.as_view(), name="defect_transition"),
]
