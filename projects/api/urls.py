from rest_framework.routers import DefaultRouter

from projects.api import views

router = DefaultRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("templates", views.TemplateViewSet, basename="template")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("phases", views.PhaseViewSet, basename="phase")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("approvals", views.ApprovalViewSet, basename="approval")
router.register("audit-log", views.AuditLogViewSet, basename="auditentry")

urlpatterns = router.urls
