from django.urls import include, path

from projects import views

dashboard = (
    [
        path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
        path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
        path("projects/<str:code>/", views.ProjectDetailView.as_view(), name="project_detail"),
        path("projects/<str:code>/edit/", views.ProjectUpdateView.as_view(), name="project_edit"),
        path("projects/<str:code>/plan/", views.PlanView.as_view(), name="plan"),
        path("projects/<str:code>/tasks/new/", views.TaskEditView.as_view(), name="task_create"),
        path("projects/<str:code>/tasks/<int:pk>/", views.TaskEditView.as_view(), name="task_edit"),
        path("projects/<str:code>/tasks/<int:pk>/delete/", views.TaskDeleteView.as_view(), name="task_delete"),
        path("projects/<str:code>/phases/<int:pk>/status/", views.PhaseStatusView.as_view(), name="phase_status"),
        path("projects/<str:code>/phases/<int:pk>/gate/", views.PhaseGateRequestView.as_view(), name="phase_gate"),
        path(
            "projects/<str:code>/approvals/<int:pk>/decide/", views.ApprovalDecideView.as_view(), name="approval_decide"
        ),
        path("projects/<str:code>/members/add/", views.MembershipAddView.as_view(), name="member_add"),
        path(
            "projects/<str:code>/members/<int:pk>/remove/", views.MembershipRemoveView.as_view(), name="member_remove"
        ),
        path("projects/<str:code>/milestones/new/", views.MilestoneEditView.as_view(), name="milestone_create"),
        path("projects/<str:code>/milestones/<int:pk>/", views.MilestoneEditView.as_view(), name="milestone_edit"),
        path(
            "projects/<str:code>/milestones/<int:pk>/delete/",
            views.MilestoneDeleteView.as_view(),
            name="milestone_delete",
        ),
        path("projects/<str:code>/save-template/", views.SaveTemplateView.as_view(), name="save_template"),
        path("projects/<str:code>/audit/", views.AuditView.as_view(), name="audit"),
    ],
    "projects",
)

portal = (
    [
        path("", views.PortalHomeView.as_view(), name="home"),
        path("<str:code>/", views.PortalProjectView.as_view(), name="project"),
    ],
    "projects-portal",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/tokens/<str:token_key>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path("portal/", include(portal)),
    path("", include(dashboard)),
]
