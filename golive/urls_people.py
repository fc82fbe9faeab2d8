"""Support plan, training and user guide pages of the dashboard (gathered by ``golive/urls.py``,
namespace ``golive``)."""

from django.urls import path

from golive.views import people as views
from golive.views import people_guides as guides

urlpatterns = [
    path("support/", views.SupportPlanView.as_view(), name="support_plan"),
    path("support/edit/", views.SupportPlanEditView.as_view(), name="support_plan_edit"),
    path("support/request-approval/", views.SupportPlanRequestView.as_view(), name="support_plan_request"),
    path("support/teams/new/", views.TeamEditView.as_view(), name="team_create"),
    path("support/teams/<int:pk>/", views.TeamEditView.as_view(), name="team_edit"),
    path("support/teams/<int:pk>/delete/", views.TeamDeleteView.as_view(), name="team_delete"),
    path("support/escalation/new/", views.EscalationEditView.as_view(), name="escalation_create"),
    path("support/escalation/<int:pk>/", views.EscalationEditView.as_view(), name="escalation_edit"),
    path("support/escalation/<int:pk>/delete/", views.EscalationDeleteView.as_view(), name="escalation_delete"),
    path("training/", views.TrainingListView.as_view(), name="training_list"),
    path("training/new/", views.TrainingEditView.as_view(), name="training_create"),
    path("training/completion/", views.TrainingCompletionView.as_view(), name="training_completion"),
    path("training/<int:pk>/", views.TrainingDetailView.as_view(), name="training_detail"),
    path("training/<int:pk>/edit/", views.TrainingEditView.as_view(), name="training_edit"),
    path("training/<int:pk>/delete/", views.TrainingDeleteView.as_view(), name="training_delete"),
    path("training/<int:pk>/invite/", views.TrainingInviteView.as_view(), name="training_invite"),
    path("attendance/<int:pk>/", views.AttendanceRecordView.as_view(), name="attendance_record"),
    path("guides/", guides.GuideListView.as_view(), name="guide_list"),
    path("guides/new/", guides.GuideEditView.as_view(), name="guide_create"),
    path("guides/<int:pk>/", guides.GuideDetailView.as_view(), name="guide_detail"),
    path("guides/<int:pk>/edit/", guides.GuideEditView.as_view(), name="guide_edit"),
    path("guides/<int:pk>/delete/", guides.GuideDeleteView.as_view(), name="guide_delete"),
    path("guides/<int:pk>/upload/", guides.GuideUploadView.as_view(), name="guide_upload"),
    path("guides/<int:pk>/publish/", guides.GuidePublishView.as_view(), name="guide_publish"),
    path("guides/files/<int:pk>/", guides.GuideDownloadView.as_view(), name="guide_download"),
]
