"""Cutover runs: start (a snapshot of the plan), the tasks' moves, re-baseline, cancel, delete.

One run at a time per runbook: a run (a rehearsal or the live run) starts only when no other
run of the runbook is running; there is one live run ever (a database constraint). Task moves
follow ``golive.transitions.CUTOVER_TASK_MOVES``; after every move the waiting tasks whose
predecessors are done (and whose fixed start passed, in the live run) become ready, and the run
completes when every task is complete or skipped. A failed go/no-go checkpoint in the live run
skips everything downstream of it, stops the run and opens the rollback of every task that has
a rollback step and was not skipped. The plan's side is ``golive.services.cutover``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from erpimpl.errors import STALE_VERSION, ConflictError, DomainError
from golive.cutover import graph
from golive.models import CutoverRun, CutoverRunTask, Runbook, TaskType
from golive.services.cutover import (
    EMPTY_RUNBOOK,
    ILLEGAL_MOVE,
    LIVE_EXISTS,
    NO_MOVE,
    NOT_YOUR_TASK,
    PASS_FAIL_TYPES,
    PASSED_REQUIRED,
    REASON_REQUIRED,
    RUN_NOT_RUNNING,
    RUN_RUNNING,
    STOPPED_BY,
    C,
    S,
    plan_nodes,
)
from golive.transitions import CUTOVER_TASK_MOVES, DONE_STATES, OWNER_MOVES
from projects.audit import audited
from projects.roles import can, require
from projects.updating import apply_update, lock

# --- runs --------------------------------------------------------------------------------


def run_nodes(run: CutoverRun) -> tuple[list[graph.Node], list[dict]]:
    """A run's tasks as graph nodes keyed by id (fixed starts count in the live run only), and
    the rows (``id, code, state, planned_minutes, actual times…``); two queries."""
    rows = list(
        run.tasks.order_by("planned_start", "code").values(
            "pk", "code", "state", "planned_minutes", "fixed_start", "actual_start", "actual_end", "rollback"
        )
    )
    through = CutoverRunTask.predecessors.through
    preds = defaultdict(list)
    for task_id, pred_id in through.objects.filter(from_cutoverruntask__run=run).values_list(
        "from_cutoverruntask_id", "to_cutoverruntask_id"
    ):
        preds[task_id].append(pred_id)
    live = run.kind == CutoverRun.Kind.LIVE
    nodes = [
        graph.Node(r["pk"], r["planned_minutes"], preds.get(r["pk"], ()), r["fixed_start"] if live else None)
        for r in rows
    ]
    return nodes, rows


def actuals_of(rows: list[dict]) -> dict:
    return {
        r["pk"]: graph.Actual(
            started_at=r["actual_start"], finished_at=r["actual_end"], skipped=r["state"] == S.SKIPPED
        )
        for r in rows
    }


def _release_ready(run: CutoverRun, now: datetime | None = None) -> int:
    """Waiting tasks whose predecessors are done (and fixed start passed) become ready."""
    nodes, rows = run_nodes(run)
    keys = graph.ready_keys(nodes, {r["pk"]: r["state"] for r in rows}, now or timezone.now())
    if not keys:
        return 0
    return run.tasks.filter(pk__in=keys, state=S.NOT_READY).update(state=S.READY, version=F("version") + 1)


def cutover_run_release(run: CutoverRun) -> int:
    """The system's move (no actor): release the tasks whose fixed start has just passed."""
    if run.status != CutoverRun.Status.RUNNING:
        return 0
    return _release_ready(run)


@audited
def cutover_run_start(*, runbook: Runbook, by, kind: str, baseline_start: datetime | None = None) -> CutoverRun:
    """Start a rehearsal or the live run: snapshot the plan, schedule it from ``baseline_start``
    (now when not given) and release the tasks that may start."""
    require(by, runbook.project, C.RUN_JOBS)
    baseline_start = baseline_start or timezone.now()
    with transaction.atomic():
        runbook = Runbook.objects.select_for_update().get(pk=runbook.pk)
        running = runbook.runs.filter(status=CutoverRun.Status.RUNNING).first()
        if running is not None:
            raise DomainError(_(RUN_RUNNING).format(run=running), field="kind")
        if kind == CutoverRun.Kind.LIVE and runbook.runs.filter(kind=kind).exists():
            raise DomainError(_(LIVE_EXISTS), field="kind")
        nodes, _codes = plan_nodes(runbook)
        if not nodes:
            raise DomainError(_(EMPTY_RUNBOOK), field="kind")
        if kind != CutoverRun.Kind.LIVE:
            nodes = [graph.Node(n.key, n.duration_minutes, n.predecessors) for n in nodes]
        slots = graph.schedule(nodes, baseline_start)
        number = (runbook.runs.aggregate(n=Max("number"))["n"] or 0) + 1
        run = CutoverRun(
            project=runbook.project, runbook=runbook, kind=kind, number=number, baseline_start=baseline_start,
            started_by=by,
        )  # fmt: skip
        run.full_clean()
        try:
            with transaction.atomic():
                run.save()
        except IntegrityError as exc:
            raise DomainError(_(LIVE_EXISTS), field="kind") from exc
        snapshot = []
        for task in runbook.tasks.order_by("number"):
            slot = slots[task.pk]
            snapshot.append(
                CutoverRunTask(
                    run=run,
                    task=task,
                    code=task.code,
                    stream=task.stream,
                    title=task.title,
                    type=task.type,
                    owner_id=task.owner_id,
                    owner_team_id=task.owner_team_id,
                    planned_minutes=task.planned_minutes or 0,
                    fixed_start=task.fixed_start,
                    critical=task.critical,
                    rollback=task.rollback,
                    internal=task.internal,
                    planned_start=slot.earliest_start,
                    planned_end=slot.earliest_finish,
                )  # fmt: skip
            )
        CutoverRunTask.objects.bulk_create(snapshot)
        by_task = {row.task_id: row.pk for row in snapshot}
        through = CutoverRunTask.predecessors.through
        through.objects.bulk_create(
            through(from_cutoverruntask_id=by_task[node.key], to_cutoverruntask_id=by_task[pred])
            for node in nodes
            for pred in node.predecessors
        )
        _release_ready(run)
    return run


def _finish_run(run: CutoverRun, status: str) -> None:
    run.status = status
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at", "updated_at"])


@audited
def cutover_run_cancel(*, run: CutoverRun, by) -> CutoverRun:
    require(by, run.project, C.RUN_JOBS)
    with transaction.atomic():
        run = lock(run)
        if run.status != CutoverRun.Status.RUNNING:
            raise DomainError(_(RUN_NOT_RUNNING).format(status=run.get_status_display().lower()))
        _finish_run(run, CutoverRun.Status.CANCELLED)
    return run


@audited
def cutover_run_rebaseline(*, run: CutoverRun, by) -> int:
    """Planned times of the tasks not yet done recomputed from now (``graph.forecast``); how many moved."""
    require(by, run.project, C.RUN_JOBS)
    with transaction.atomic():
        run = lock(run)
        if run.status != CutoverRun.Status.RUNNING:
            raise DomainError(_(RUN_NOT_RUNNING).format(status=run.get_status_display().lower()))
        nodes, rows = run_nodes(run)
        forecasts = graph.forecast(nodes, actuals_of(rows), timezone.now(), run.baseline_start)
        pending = [r["pk"] for r in rows if r["state"] not in DONE_STATES | {S.FAILED}]
        moved = 0
        for task in run.tasks.select_for_update().filter(pk__in=pending):
            item = forecasts[task.pk]
            if (task.planned_start, task.planned_end) != (item.start, item.end):
                task.planned_start, task.planned_end = item.start, item.end
                task.version += 1
                task.save(update_fields=["planned_start", "planned_end", "version", "updated_at"])
                moved += 1
    return moved


def _may_act_on(by, task: CutoverRunTask, project) -> bool:
    if can(by, project, C.RUN_JOBS) or (task.owner_id and task.owner_id == by.pk):
        return True
    return bool(task.owner_team_id and task.owner_team.members.filter(pk=by.pk).exists())


def _move(task: CutoverRunTask, by, target: str, *, version: int | None, reason: str = "", passed=None):
    run = task.run
    project = run.project
    require(by, project, C.PARTICIPATE)
    with transaction.atomic():
        run = lock(run)
        if run.status != CutoverRun.Status.RUNNING:
            raise DomainError(_(RUN_NOT_RUNNING).format(status=run.get_status_display().lower()))
        _release_ready(run)
        current = lock(task)
        if version is not None and current.version != version:
            raise ConflictError(STALE_VERSION.format(current=current.version))
        moves = CUTOVER_TASK_MOVES.get(current.state, {})
        allowed = [t for t, cap in moves.items() if cap is not None and can(by, project, cap)]
        if target not in allowed:
            names = ", ".join(str(S(t).label).lower() for t in allowed) or _(NO_MOVE)
            raise DomainError(
                _(ILLEGAL_MOVE).format(
                    current=S(current.state).label.lower(), target=S(target).label.lower(), allowed=names
                ),
                field="state",
            )
        if (current.state, target) in OWNER_MOVES and not _may_act_on(by, current, project):
            raise DomainError(_(NOT_YOUR_TASK), field="state")
        now = timezone.now()
        if target == S.IN_PROGRESS:
            current.actual_start = now
        elif target == S.SKIPPED:
            if not reason.strip():
                raise DomainError(_(REASON_REQUIRED), field="reason")
            current.reason = reason.strip()
            current.actual_end = now
        else:
            current.actual_end = now
            current.passed = passed
        current.state = target
        current.version += 1
        current.full_clean()
        current.save()
        if target == S.FAILED and current.type == TaskType.CHECKPOINT and run.kind == CutoverRun.Kind.LIVE:
            _stop_at_checkpoint(run, current, now)
        else:
            _release_ready(run, now)
            if not run.tasks.exclude(state__in=DONE_STATES).exists():
                _finish_run(run, CutoverRun.Status.COMPLETED)
    return current


def _stop_at_checkpoint(run: CutoverRun, checkpoint: CutoverRunTask, now: datetime) -> None:
    """Skip everything downstream of the failed checkpoint, stop the run, open the rollbacks."""
    nodes, _rows = run_nodes(run)
    stopped = graph.downstream(nodes, checkpoint.pk)
    reason = _(STOPPED_BY).format(code=checkpoint.code)
    for task in run.tasks.select_for_update().filter(pk__in=stopped, state__in=[S.NOT_READY, S.READY]):
        task.state, task.reason, task.actual_end = S.SKIPPED, reason, now
        task.version += 1
        task.save(update_fields=["state", "reason", "actual_end", "version", "updated_at"])
    for task in run.tasks.select_for_update().exclude(rollback="").exclude(state=S.SKIPPED):
        task.rollback_open = True
        task.version += 1
        task.save(update_fields=["rollback_open", "version", "updated_at"])
    _finish_run(run, CutoverRun.Status.STOPPED)


@audited
def cutover_run_task_start(*, task: CutoverRunTask, by, version: int | None = None) -> CutoverRunTask:
    return _move(task, by, S.IN_PROGRESS, version=version)


@audited
def cutover_run_task_finish(
    *, task: CutoverRunTask, by, passed: bool | None = None, version: int | None = None
) -> CutoverRunTask:
    """Finish a task in progress: complete, or failed when ``passed`` is false. A validation or
    a go/no-go checkpoint must say whether it passed."""
    if task.type in PASS_FAIL_TYPES and passed is None:
        raise DomainError(_(PASSED_REQUIRED), field="passed")
    return _move(task, by, S.FAILED if passed is False else S.COMPLETE, version=version, passed=passed)


@audited
def cutover_run_task_skip(*, task: CutoverRunTask, by, reason: str, version: int | None = None) -> CutoverRunTask:
    return _move(task, by, S.SKIPPED, version=version, reason=reason)


RUN_TASK_FIELDS = {"title", "stream", "internal"}
LIVE_KEPT = N_("The live run is part of the go-live record: it cannot be deleted.")


@audited
def cutover_run_task_update(*, task: CutoverRunTask, by, version: int | None, **changes) -> CutoverRunTask:
    """Correct a run task's title, stream or visibility to client roles during the run (EDIT):
    the run is a snapshot, so a plan edit does not reach it."""
    require(by, task.run.project, C.EDIT)
    return apply_update(task, version=version, changes=changes, allowed=RUN_TASK_FIELDS)


@audited
def cutover_run_delete(*, run: CutoverRun, by) -> None:
    """Delete a rehearsal and its tasks (a mistaken or abandoned one); the live run is kept."""
    require(by, run.project, C.EDIT)
    if run.kind == CutoverRun.Kind.LIVE:
        raise DomainError(_(LIVE_KEPT))
    for task in run.tasks.all():  # row by row: each task's deletion is in the audit trail
        task.delete()
    run.delete()
