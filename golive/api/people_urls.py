"""Registers the support plan, training and user guide API on the go-live router (``golive.api.urls``)."""

from golive.api import people_views as v


def register(router) -> None:
    router.register("support-plans", v.SupportPlanViewSet, basename="support-plan")
    router.register("support-teams", v.SupportTeamViewSet, basename="support-team")
    router.register("escalation-levels", v.EscalationLevelViewSet, basename="escalation-level")
    router.register("training-sessions", v.TrainingSessionViewSet, basename="training-session")
    router.register("attendance", v.AttendanceViewSet, basename="attendance")
    router.register("user-guides", v.UserGuideViewSet, basename="user-guide")
