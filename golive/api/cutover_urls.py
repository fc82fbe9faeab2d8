"""The cutover runbook's routes on the go-live API router (``golive.api.urls``)."""

from golive.api import cutover_views as views


def register(router):
    router.register("runbooks", views.RunbookViewSet, basename="runbook")
    router.register("cutover-tasks", views.CutoverTaskViewSet, basename="cutover-task")
    router.register("cutover-runs", views.CutoverRunViewSet, basename="cutover-run")
    router.register("cutover-run-tasks", views.CutoverRunTaskViewSet, basename="cutover-run-task")
