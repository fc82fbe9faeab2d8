from django.urls import path

from testing import views

app_name = "testing"

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/new/", views.CaseEditView.as_view(), name="case_create"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/edit/", views.CaseEditView.as_view(), name="case_edit"),
    path("cases/<int:pk>/delete/", views.CaseDeleteView.as_view(), name="case_delete"),
    path("cycles/", views.CycleListView.as_view(), name="cycle_list"),
    path("cycles/new/", views.CycleEditView.as_view(), name="cycle_create"),
    path("cycles/<int:pk>/", views.CycleDetailView.as_view(), name="cycle_detail"),
    path("cycles/<int:pk>/edit/", views.CycleEditView.as_view(), name="cycle_edit"),
    path("cycles/<int:pk>/status/", views.CycleStatusView.as_view(), name="cycle_status"),
    path("cycles/<int:pk>/add-cases/", views.CycleAddCasesView.as_view(), name="cycle_add_cases"),
    path("cycles/<int:pk>/scope/<int:cc>/assign/", views.CycleAssignView.as_view(), name="cycle_assign"),
    path("cycles/<int:pk>/request-signoff/", views.CycleSignoffRequestView.as_view(), name="cycle_signoff_request"),
    path("cycles/<int:pk>/signoff/", views.SignoffView.as_view(), name="cycle_signoff"),
    path("scope/<int:cc>/run/", views.ExecutionStartView.as_view(), name="execution_start"),
    path("executions/<int:pk>/", views.ExecutionDetailView.as_view(), name="execution_detail"),
    path("executions/<int:pk>/steps/<int:order>/", views.ExecutionStepView.as_view(), name="execution_step"),
    path("executions/<int:pk>/finish/", views.ExecutionFinishView.as_view(), name="execution_finish"),
    path("executions/<int:pk>/evidence/", views.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("executions/<int:pk>/defect/", views.DefectFromStepView.as_view(), name="execution_defect"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("defects/", views.DefectListView.as_view(), name="defect_list"),
    path("defects/new/", views.DefectCreateView.as_view(), name="defect_create"),
    path("defects/<int:pk>/", views.DefectDetailView.as_view(), name="defect_detail"),
    path("defects/<int:pk>/edit/", views.DefectEditView.as_view(), name="defect_edit"),
    path("defects/<int:pk>/transition/", views.DefectTransitionView.as_view(), name="defect_transition"),
    path("defects/<int:pk>/comment/", views.DefectCommentView.as_view(), name="defect_comment"),
    path("load-tests/", views.LoadResultListView.as_view(), name="load_result_list"),
    path("load-tests/new/", views.LoadResultCreateView.as_view(), name="load_result_create"),
    path("load-tests/<int:pk>/report/", views.LoadReportDownloadView.as_view(), name="load_report_download"),
    path("traceability/", views.TraceabilityView.as_view(), name="traceability"),
    path("traceability/export.xlsx", views.TraceabilityExportView.as_view(), name="traceability_export"),
]
