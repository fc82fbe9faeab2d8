"""Readiness pages of the dashboard (gathered by ``golive/urls.py``, namespace ``golive``)."""

from django.urls import path

from golive.views import readiness as runs
from golive.views import readiness_criteria as criteria

urlpatterns = [
    path("", runs.ReadinessDashboardView.as_view(), name="readiness"),
    path("runs/start/", runs.RunStartView.as_view(), name="run_start"),
    path("runs/<int:pk>/", runs.RunDetailView.as_view(), name="run_detail"),
    path("runs/<int:pk>/progress/", runs.RunProgressView.as_view(), name="run_progress"),
    path("runs/<int:pk>/cancel/", runs.RunCancelView.as_view(), name="run_cancel"),
    path("runs/<int:pk>/compare/", runs.RunCompareView.as_view(), name="run_compare"),
    path("criteria/", criteria.CriterionListView.as_view(), name="criteria"),
    path("criteria/new/", criteria.CriterionEditView.as_view(), name="criterion_create"),
    path("criteria/<int:pk>/", criteria.CriterionDetailView.as_view(), name="criterion_detail"),
    path("criteria/<int:pk>/edit/", criteria.CriterionEditView.as_view(), name="criterion_edit"),
    path("criteria/<int:pk>/delete/", criteria.CriterionDeleteView.as_view(), name="criterion_delete"),
    path("criteria/<int:pk>/assess/", criteria.CriterionAssessView.as_view(), name="criterion_assess"),
    path("criteria/<int:pk>/evidence/", criteria.CriterionEvidenceView.as_view(), name="criterion_evidence"),
]
