"""Pages of the cutover runbook, under ``/projects/<code>/golive/`` (namespace ``golive``)."""

from django.urls import path

from golive.views import cutover as views

urlpatterns = [
    path("cutover/", views.RunbookView.as_view(), name="runbook"),
    path("cutover/tasks/new/", views.TaskCreateView.as_view(), name="cutover_task_create"),
    path("cutover/tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="cutover_task_edit"),
    path("cutover/tasks/<int:pk>/delete/", views.TaskDeleteView.as_view(), name="cutover_task_delete"),
    path(
        "cutover/tasks/<int:pk>/duration-from-load/",
        views.TaskDurationFromLoadView.as_view(),
        name="cutover_task_duration_from_load",
    ),
    path("cutover/runs/new/", views.RunStartView.as_view(), name="cutover_run_start"),
    path("cutover/runs/<int:run>/apply-durations/", views.ApplyRehearsalView.as_view(), name="cutover_apply_durations"),
    path("cutover/runs/<int:pk>/", views.BoardView.as_view(), name="cutover_run"),
    path("cutover/runs/<int:pk>/board/", views.BoardPartialView.as_view(), name="cutover_run_board"),
    path("cutover/runs/<int:pk>/gantt/", views.GanttView.as_view(), name="cutover_run_gantt"),
    path("cutover/runs/<int:pk>/rebaseline/", views.RunRebaselineView.as_view(), name="cutover_run_rebaseline"),
    path("cutover/runs/<int:pk>/cancel/", views.RunCancelView.as_view(), name="cutover_run_cancel"),
    path("cutover/run-tasks/<int:pk>/start/", views.RunTaskStartView.as_view(), name="cutover_run_task_start"),
    path("cutover/run-tasks/<int:pk>/finish/", views.RunTaskFinishView.as_view(), name="cutover_run_task_finish"),
    path("cutover/run-tasks/<int:pk>/skip/", views.RunTaskSkipView.as_view(), name="cutover_run_task_skip"),
]
