"""Pages of the cutover runbook: the plan, a run's Gantt, the live board and the task actions.

The Gantt of a run is a bar table drawn with CSS widths (planned bar and actual bar per task,
on one time axis): ``static/js/gantt.js`` draws the plan's tasks by date from the plan
page's JSON and is not made for minutes-long tasks with a planned and an actual bar.
The live board refreshes its body every 10 seconds through htmx (``cutover_run_board``).
"""

from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from golive import services
from golive.forms_cutover import CutoverTaskForm, FinishForm, RunStartForm, SkipForm
from golive.models import CutoverRun
from golive.selectors import cutover as selectors
from golive.transitions import CUTOVER_TASK_MOVES
from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability, allowed_moves, can

C = Capability


class RunbookView(ProjectAccessMixin, TemplateView):
    """The plan: tasks with stream, owner, duration, predecessors, critical path and float; runs."""

    capability = C.VIEW
    template_name = "golive/cutover/runbook.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        runbook = selectors.runbook_get(user=user, project=self.project)
        rows = selectors.runbook_schedule(user=user, project=self.project)
        runs = list(selectors.run_list(user=user, project=self.project)[:20])
        context.update(
            runbook=runbook,
            rows=rows,
            runs=runs,
            may_edit=can(user, self.project, C.EDIT),
            may_run=can(user, self.project, C.RUN_JOBS),
            start_form=RunStartForm(),
            last_rehearsal=next(
                (r for r in runs if r.kind == CutoverRun.Kind.REHEARSAL and r.status == CutoverRun.Status.COMPLETED),
                None,
            ),
        )
        return context


class TaskFormView(ServiceFormView):
    capability = C.EDIT
    template_name = "golive/cutover/task_form.html"
    form_class = CutoverTaskForm

    def dispatch(self, request, *args, **kwargs):
        self.task = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(project=self.project, task=self.task)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(task=self.task, **kwargs)

    def get_success_url(self, result=None):
        return reverse("golive:runbook", args=[self.project.code])


class TaskCreateView(TaskFormView):
    success_message = gettext_lazy("Task added.")

    def perform(self, form):
        return services.cutover_task_create(project=self.project, by=self.request.user, **form.changes())


class TaskEditView(TaskFormView):
    success_message = gettext_lazy("Task saved.")

    def get_form_kwargs(self):
        self.task = selectors.cutover_task_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])
        kwargs = super().get_form_kwargs()
        kwargs["task"] = self.task
        if self.request.method == "GET":
            task = self.task
            kwargs["initial"] = {
                **{name: getattr(task, name) for name in services.TASK_FIELDS if name != "predecessors"},
                "predecessors": list(task.predecessors.all()),
                "version": task.version,
            }
        return kwargs

    def perform(self, form):
        version = form.cleaned_data.get("version")
        return services.cutover_task_update(task=self.task, by=self.request.user, version=version, **form.changes())


class TaskActionView(ServiceActionView):
    capability = C.EDIT

    def get_object(self):
        return selectors.cutover_task_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def get_success_url(self, result):
        return reverse("golive:runbook", args=[self.project.code])


class TaskDeleteView(TaskActionView):
    success_message = gettext_lazy("Task deleted.")

    def perform(self, form):
        services.cutover_task_delete(task=self.object, by=self.request.user)
        return True


class TaskDurationFromLoadView(TaskActionView):
    def perform(self, form):
        return services.task_duration_from_mock_load(task=self.object, by=self.request.user)

    def get_success_message(self, result):
        return _("%(code)s now takes %(minutes)s minutes, from the last mock load.") % {
            "code": result.code,
            "minutes": result.planned_minutes,
        }


class ApplyRehearsalView(ServiceActionView):
    """The last completed rehearsal's actual durations written onto the plan."""

    capability = C.EDIT

    def get_object(self):
        return selectors.run_get(user=self.request.user, project=self.project, pk=self.kwargs["run"])

    def perform(self, form):
        return services.apply_rehearsal_durations(runbook=self.object.runbook, run=self.object, by=self.request.user)

    def get_success_message(self, result):
        return _("%(count)s task durations taken from the rehearsal.") % {"count": result}

    def get_success_url(self, result):
        return self.object.runbook.get_absolute_url()


class RunStartView(ServiceActionView):
    capability = C.RUN_JOBS
    form_class = RunStartForm
    success_message = gettext_lazy("The run has started.")

    def perform(self, form):
        runbook = services.runbook_get_or_create(self.project)
        return services.cutover_run_start(
            runbook=runbook,
            by=self.request.user,
            kind=form.cleaned_data["kind"],
            baseline_start=form.cleaned_data.get("baseline_start"),
        )


class RunMixin:
    def get_run(self):
        return selectors.run_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])


class BoardView(RunMixin, ProjectAccessMixin, TemplateView):
    """The live board of a run: tasks grouped by stream, late flags, forecast end, actions."""

    capability = C.VIEW
    template_name = "golive/cutover/board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.get_run()
        services.cutover_run_release(run)  # fixed starts that passed since the last move
        board = selectors.run_board(user=self.request.user, run=run)
        user = self.request.user
        for row in board.rows:
            row.moves = allowed_moves(user, self.project, CUTOVER_TASK_MOVES, row.state)
        context.update(
            run=run,
            board=board,
            may_run=can(user, self.project, C.RUN_JOBS),
            now=timezone.now(),
        )
        return context


class BoardPartialView(BoardView):
    """The board's body alone: what htmx fetches every 10 seconds."""

    template_name = "golive/cutover/_board.html"


class GanttView(RunMixin, ProjectAccessMixin, TemplateView):
    """Planned against actual times of a run's tasks, as bars on one time axis."""

    capability = C.VIEW
    template_name = "golive/cutover/gantt.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.get_run()
        board = selectors.run_board(user=self.request.user, run=run)
        moments = [m for row in board.rows for m in (row.planned_start, row.planned_end, row.actual_start,
                                                     row.actual_end, row.forecast_end) if m]  # fmt: skip
        if moments:
            first, last = min(moments), max(moments)
            span = max((last - first).total_seconds(), 60)

            def bar(start, end):
                if not start or not end:
                    return None
                return {"left": round((start - first).total_seconds() * 100 / span, 2),
                        "width": max(round((end - start).total_seconds() * 100 / span, 2), 0.5)}  # fmt: skip

            for row in board.rows:
                row.planned_bar = bar(row.planned_start, row.planned_end)
                actual_end = row.actual_end or (row.forecast_end if row.actual_start else None)
                row.actual_bar = bar(row.actual_start, actual_end)
            context.update(first=first, last=last)
        context.update(run=run, board=board)
        return context


class RunActionView(RunMixin, ServiceActionView):
    capability = C.RUN_JOBS

    def get_object(self):
        return self.get_run()


class RunRebaselineView(RunActionView):
    success_message = gettext_lazy("Planned times recomputed from now.")

    def perform(self, form):
        services.cutover_run_rebaseline(run=self.object, by=self.request.user)
        return True


class RunCancelView(RunActionView):
    success_message = gettext_lazy("The run was cancelled.")

    def perform(self, form):
        return services.cutover_run_cancel(run=self.object, by=self.request.user)


class RunTaskActionView(ServiceActionView):
    """Start, finish or skip a task of a run; an htmx request gets the board's body back."""

    capability = C.PARTICIPATE
    partial_template = "golive/cutover/_board.html"

    def get_object(self):
        return selectors.run_task_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def get_success_url(self, result):
        return self.object.run.get_absolute_url()

    def get_partial_context(self, form, result):
        run = self.object.run
        board = selectors.run_board(user=self.request.user, run=run)
        for row in board.rows:
            row.moves = allowed_moves(self.request.user, self.project, CUTOVER_TASK_MOVES, row.state)
        if form.errors:
            for message in form.errors.get("__all__", []) + [
                e for k, v in form.errors.items() if k != "__all__" for e in v
            ]:
                messages.error(self.request, message)
        return {"run": run, "board": board, "may_run": can(self.request.user, self.project, C.RUN_JOBS)}


class RunTaskStartView(RunTaskActionView):
    success_message = gettext_lazy("Task started.")

    def perform(self, form):
        return services.cutover_run_task_start(task=self.object, by=self.request.user)


class RunTaskFinishView(RunTaskActionView):
    form_class = FinishForm
    success_message = gettext_lazy("Task finished.")

    def perform(self, form):
        return services.cutover_run_task_finish(
            task=self.object, by=self.request.user, passed=form.cleaned_data["passed"]
        )


class RunTaskSkipView(RunTaskActionView):
    form_class = SkipForm
    capability = C.RUN_JOBS
    success_message = gettext_lazy("Task skipped.")

    def perform(self, form):
        return services.cutover_run_task_skip(
            task=self.object, by=self.request.user, reason=form.cleaned_data["reason"]
        )
