"""Read queries of the cutover runbook: tasks, the plan's schedule, runs and the live board.

Every list starts from ``visible_to(user)`` (a client role never sees an internal task).
The schedule and the forecasts are computed on the whole graph (an internal task still takes
its time), but only the caller's visible rows are returned. Set-based: a fixed number of
queries whatever the number of tasks (predecessors are prefetched, never read per row).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from golive.cutover import graph
from golive.models import CutoverRun, CutoverRunTask, CutoverTask, Runbook
from golive.services.cutover import plan_nodes
from golive.services.cutover_runs import actuals_of, run_nodes
from golive.transitions import DONE_STATES, FINAL_STATES
from projects.models import Project
from projects.selectors import get_in_project

S = CutoverRunTask.State


def runbook_get(*, user, project: Project) -> Runbook | None:
    """The project's runbook if the user may see the project (``None`` before first use)."""
    return Runbook.objects.visible_to(user).filter(project=project).select_related("project").first()


def cutover_task_list(*, user, project: Project | None = None):
    qs = (
        CutoverTask.objects.visible_to(user)
        .select_related("project", "runbook", "owner", "owner_team", "masterdata_object")
        .prefetch_related(Prefetch("predecessors", queryset=CutoverTask.objects.only("id", "code", "number")))
    )
    return qs.filter(project=project) if project is not None else qs


def cutover_task_get(*, user, project: Project | None, pk: int) -> CutoverTask:
    return get_in_project(cutover_task_list(user=user), project=project, pk=pk)


@dataclass
class PlanRow:
    task: CutoverTask
    earliest_start: datetime | None
    earliest_finish: datetime | None
    float_minutes: int
    critical: bool


def runbook_schedule(*, user, project: Project, start: datetime | None = None) -> list[PlanRow]:
    """Each visible plan task with its earliest start and finish from ``start`` (the runbook's
    planned start, or now), total float in minutes and whether it is on the critical path."""
    runbook = runbook_get(user=user, project=project)
    if runbook is None:
        return []
    nodes, _codes = plan_nodes(runbook)
    slots = graph.schedule(nodes, start or runbook.planned_start or timezone.now())
    rows = []
    for task in cutover_task_list(user=user, project=project):
        slot = slots.get(task.pk)
        rows.append(
            PlanRow(
                task=task,
                earliest_start=slot.earliest_start if slot else None,
                earliest_finish=slot.earliest_finish if slot else None,
                float_minutes=int(slot.total_float.total_seconds() // 60) if slot else 0,
                critical=bool(slot and slot.critical),
            )
        )
    return rows


def run_list(*, user, project: Project | None = None):
    qs = CutoverRun.objects.visible_to(user).select_related("project", "runbook", "started_by")
    return qs.filter(project=project) if project is not None else qs


def run_get(*, user, project: Project | None, pk: int) -> CutoverRun:
    return get_in_project(run_list(user=user), project=project, pk=pk)


def run_task_list(*, user, run: CutoverRun | None = None):
    qs = CutoverRunTask.objects.visible_to(user).select_related("run", "run__project", "owner", "owner_team")
    return qs.filter(run=run) if run is not None else qs


def run_task_get(*, user, project: Project | None, pk: int) -> CutoverRunTask:
    return get_in_project(run_task_list(user=user), project=project, pk=pk)


def running_run(*, user, project: Project) -> CutoverRun | None:
    """The run going on now (a rehearsal or the live run), if any."""
    return run_list(user=user, project=project).filter(status=CutoverRun.Status.RUNNING).first()


@dataclass
class Board:
    """A run as its board shows it: the rows with forecast and lateness, the forecast end,
    the owners of late tasks, and the checkpoint that stopped the run (if one did)."""

    run: CutoverRun
    rows: list[CutoverRunTask]
    forecast_end: datetime | None
    late_owners: list = field(default_factory=list)
    stopped_by: str = ""

    def streams(self) -> list[tuple[str, list[CutoverRunTask]]]:
        grouped: dict[str, list[CutoverRunTask]] = {}
        for row in self.rows:
            grouped.setdefault(row.stream, []).append(row)
        return list(grouped.items())

    def counts(self) -> dict[str, int]:
        found = {state: 0 for state in S.values}
        for row in self.rows:
            found[row.state] += 1
        return found


def run_board(*, user, run: CutoverRun, now: datetime | None = None) -> Board:
    """The run's visible tasks, each with ``forecast_start``, ``forecast_end``, ``late`` (how far
    its forecast end is past its planned end) and ``is_late``; computed with ``graph.forecast``."""
    now = now or timezone.now()
    nodes, raw = run_nodes(run)
    forecasts = graph.forecast(nodes, actuals_of(raw), now, run.baseline_start)
    if run.status != CutoverRun.Status.RUNNING:
        # a finished run forecasts nothing: its end is what happened
        ends = [r["actual_end"] for r in raw if r["actual_end"]]
        forecast_end = max(ends, default=None)
    else:
        forecast_end = graph.forecast_end(forecasts)
    rows = list(run_task_list(user=user, run=run).order_by("stream", "planned_start", "code"))
    late_owners = {}
    stopped_by = ""
    for row in rows:
        item = forecasts.get(row.pk)
        row.forecast_start = item.start if item else None
        row.forecast_end = item.end if item else None
        end = row.actual_end if row.state in FINAL_STATES else row.forecast_end
        row.late = max(timedelta(0), end - row.planned_end) if end and row.planned_end else timedelta(0)
        row.late_minutes = int(row.late.total_seconds() // 60)
        row.is_late = row.late_minutes > 0 and row.state not in DONE_STATES
        if row.is_late and row.owner_id:
            late_owners[row.owner_id] = row.owner
        if run.status == CutoverRun.Status.STOPPED and row.state == S.FAILED and row.type == "checkpoint":
            stopped_by = row.code
    return Board(run=run, rows=rows, forecast_end=forecast_end, late_owners=list(late_owners.values()),
                 stopped_by=stopped_by)  # fmt: skip


def my_run_tasks(*, user, project: Project):
    """The caller's tasks (owned, or through an owner team) in the running run of the project."""
    from django.db.models import Q

    run = running_run(user=user, project=project)
    if run is None:
        return run, CutoverRunTask.objects.none()
    mine = Q(owner=user) | Q(owner_team__members=user)
    return run, run_task_list(user=user, run=run).filter(mine).distinct().order_by("planned_start", "code")
