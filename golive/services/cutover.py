"""The cutover runbook: the plan (tasks with predecessors), its runs and their tasks' moves.

Plan: one ``Runbook`` per project, created on first use; tasks numbered ``CT-001`` per
runbook (one runbook per project, so ``projects.codes.next_number``), predecessors within the
runbook and never in a loop (``graph.check_acyclic`` names the loop). Durations can come from
evidence: the last successful mock load of a task's master data object, or the actual times
of a completed rehearsal.

Runs: ``cutover_run_start`` snapshots the plan. One run at a time per runbook: a run (a
rehearsal or the live run) starts only when no other run of the runbook is running, so the
board never shows two sets of people moving the same tasks; there is one live run ever
(a database constraint). Task moves follow ``golive.transitions.CUTOVER_TASK_MOVES``; after
every move the waiting tasks whose predecessors are done (and whose fixed start passed, in
the live run) become ready, and the run completes when every task is complete or skipped.
A failed go/no-go checkpoint in the live run skips everything downstream of it, stops the
run and opens the rollback of every task that has a rollback step and was not skipped.

Audit: plan edits and run status changes are saved row by row (audited). The snapshot of a
run's tasks and the system's "ready" releases are bulk writes (not audited row by row): the
run's own entry records the start, each person's move is audited.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from datamigration import selectors as dm_selectors
from erpimpl.errors import DomainError
from golive.cutover import graph
from golive.models import CutoverRun, CutoverRunTask, CutoverTask, Runbook, TaskType
from projects.audit import audited
from projects.codes import next_number
from projects.models import Project
from projects.roles import Capability, is_member, require
from projects.updating import apply_update

C = Capability
S = CutoverRunTask.State

OTHER_RUNBOOK = N_("Choose tasks of this runbook only.")
OWNER_NOT_MEMBER = N_("The owner must be a member of the project.")
OTHER_PROJECT = N_("Choose one of this project's records.")
NO_LOAD_OBJECT = N_("Give the task a master data object and the expected number of rows first.")
NO_MOCK_LOAD = N_("“{object}” has no successful load with timings yet: run a mock load first.")
NOT_A_REHEARSAL = N_("Durations come from a completed rehearsal of this runbook.")
RUN_RUNNING = N_("{run} is still running: finish or cancel it first.")
LIVE_EXISTS = N_("This runbook already has its live run.")
EMPTY_RUNBOOK = N_("The runbook has no tasks yet.")
RUN_NOT_RUNNING = N_("This run is not running ({status}).")
ILLEGAL_MOVE = N_("A task that is {current} cannot become {target}. Allowed: {allowed}.")
NO_MOVE = N_("nothing")
NOT_YOUR_TASK = N_("Only the task's owner, its owner team or the cutover manager may do this.")
REASON_REQUIRED = N_("Say why the task is skipped.")
PASSED_REQUIRED = N_("Say whether the check passed.")
STOPPED_BY = N_("stopped by checkpoint {code}")

RUNBOOK_FIELDS = {"title", "window_hours", "planned_start"}
TASK_FIELDS = {
    "stream", "title", "type", "owner", "owner_team", "planned_minutes", "fixed_start", "predecessors",
    "critical", "rollback", "masterdata_object", "expected_rows", "internal",
}  # fmt: skip
PASS_FAIL_TYPES = frozenset({TaskType.VALIDATION, TaskType.CHECKPOINT})
ZERO_DURATION_TYPES = frozenset({TaskType.MILESTONE, TaskType.CHECKPOINT})


# --- the plan ----------------------------------------------------------------------------


def runbook_get_or_create(project: Project) -> Runbook:
    """The project's runbook, created on first use (no actor: an empty runbook is no decision)."""
    # The model's default title is a lazy string; ``__str__`` (the audit entry) needs a real one.
    title = str(Runbook._meta.get_field("title").default)
    runbook, _created = Runbook.objects.get_or_create(project=project, defaults={"title": title})
    return runbook


@audited
def runbook_update(*, runbook: Runbook, by, version: int | None, **changes) -> Runbook:
    require(by, runbook.project, C.EDIT)
    return apply_update(runbook, version=version, changes=changes, allowed=RUNBOOK_FIELDS)


def plan_nodes(runbook: Runbook, *, override: dict | None = None) -> tuple[list[graph.Node], dict]:
    """The runbook's tasks as graph nodes keyed by id, and ``{id: code}``; two queries.

    ``override`` (``{task id: [predecessor ids]}``) replaces a task's predecessors: the plan as
    it would be after an edit, checked before it is saved.
    """
    rows = list(runbook.tasks.order_by("number").values_list("pk", "code", "planned_minutes", "fixed_start"))
    through = CutoverTask.predecessors.through
    preds = defaultdict(list)
    for task_id, pred_id in through.objects.filter(from_cutovertask__runbook=runbook).values_list(
        "from_cutovertask_id", "to_cutovertask_id"
    ):
        preds[task_id].append(pred_id)
    preds.update(override or {})
    nodes = [graph.Node(pk, minutes or 0, preds.get(pk, ()), fixed) for pk, _code, minutes, fixed in rows]
    return nodes, {pk: code for pk, code, *_rest in rows}


def _check_references(project: Project, data: dict, runbook: Runbook) -> None:
    owner = data.get("owner")
    if owner is not None and not is_member(owner, project):
        raise DomainError(_(OWNER_NOT_MEMBER), field="owner")
    team = data.get("owner_team")
    if team is not None and team.plan.project_id != project.pk:
        raise DomainError(_(OTHER_PROJECT), field="owner_team")
    obj = data.get("masterdata_object")
    if obj is not None and obj.project_id != project.pk:
        raise DomainError(_(OTHER_PROJECT), field="masterdata_object")
    for pred in data.get("predecessors") or ():
        if pred.runbook_id != runbook.pk:
            raise DomainError(_(OTHER_RUNBOOK), field="predecessors")


def _check_acyclic(runbook: Runbook, task_id: int, predecessors) -> None:
    nodes, codes = plan_nodes(runbook, override={task_id: [p.pk for p in predecessors]})
    if task_id not in codes:
        nodes.append(graph.Node(task_id, 0, [p.pk for p in predecessors]))
    try:
        graph.check_acyclic(nodes, label=lambda key: codes.get(key, "?"))
    except graph.GraphError as exc:
        raise DomainError(str(exc), field="predecessors") from exc


@audited
def cutover_task_create(*, project: Project, by, title: str, predecessors=(), **fields) -> CutoverTask:
    """A task at the end of the project's runbook (``CT-001``, ``CT-002``…)."""
    require(by, project, C.EDIT)
    runbook = runbook_get_or_create(project)
    predecessors = list(predecessors)
    _check_references(project, {**fields, "predecessors": predecessors}, runbook)
    with transaction.atomic():
        number = next_number(CutoverTask, project)
        task = CutoverTask(project=project, runbook=runbook, number=number, code=f"CT-{number:03d}", title=title)
        for name, value in fields.items():
            if name not in TASK_FIELDS:
                raise ValueError(f"not a task field: {name}")
            setattr(task, name, value)
        task.full_clean()
        task.save()
        if predecessors:
            _check_acyclic(runbook, task.pk, predecessors)
            task.predecessors.set(predecessors)
    return task


@audited
def cutover_task_update(*, task: CutoverTask, by, version: int | None, **changes) -> CutoverTask:
    """Edit a task; new predecessors are checked for a loop before anything is saved."""
    require(by, task.project, C.EDIT)
    _check_references(task.project, changes, task.runbook)
    with transaction.atomic():
        if "predecessors" in changes:
            changes["predecessors"] = list(changes["predecessors"])
            _check_acyclic(task.runbook, task.pk, changes["predecessors"])
        updated = apply_update(task, version=version, changes=changes, allowed=TASK_FIELDS)
        if "internal" in changes:
            # A task made internal is internal in every run that copied it too (and back): its
            # title must not stay on the client's board through an older snapshot.
            for copy in updated.run_tasks.exclude(internal=updated.internal):
                copy.internal = updated.internal
                copy.save(update_fields=["internal", "updated_at"])  # audited row by row
        return updated


@audited
def cutover_task_delete(*, task: CutoverTask, by) -> None:
    """Delete a plan task; its successors lose it as predecessor, past runs keep their snapshot."""
    require(by, task.project, C.EDIT)
    task.delete()


@audited
def task_duration_from_mock_load(*, task: CutoverTask, by) -> CutoverTask:
    """``planned_minutes`` from the last successful load of the task's master data object.

    The load's duration scaled from its rows in the file to the task's ``expected_rows``,
    rounded up to whole minutes, at least 1. Read through ``datamigration.selectors``.
    """
    require(by, task.project, C.EDIT)
    obj = task.masterdata_object
    if obj is None or not task.expected_rows:
        raise DomainError(_(NO_LOAD_OBJECT), field="masterdata_object")
    run = (
        dm_selectors.run_list(user=by, project=task.project)
        .filter(object=obj, mode="load", status="succeeded", started_at__isnull=False, finished_at__isnull=False)
        .filter(total_rows__gt=0)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if run is None:
        raise DomainError(_(NO_MOCK_LOAD).format(object=obj.name), field="masterdata_object")
    seconds = run.duration * task.expected_rows / run.total_rows
    minutes = max(1, math.ceil(seconds / 60))
    return apply_update(task, version=None, changes={"planned_minutes": minutes}, allowed=TASK_FIELDS)


def _minutes(start: datetime, end: datetime) -> int:
    return max(0, math.ceil((end - start).total_seconds() / 60))


@audited
def apply_rehearsal_durations(*, runbook: Runbook, run: CutoverRun, by) -> int:
    """Write the actual durations of a completed rehearsal's tasks onto the plan; how many changed.

    One action: the plan's tasks are locked and saved one by one (one audit entry per changed
    task); tasks the rehearsal skipped, or deleted from the plan since, are left as they are.
    """
    require(by, runbook.project, C.EDIT)
    if run.runbook_id != runbook.pk or run.kind != CutoverRun.Kind.REHEARSAL or run.status != run.Status.COMPLETED:
        raise DomainError(_(NOT_A_REHEARSAL), field="run")
    actual = {
        task_id: (kind, _minutes(start, end))
        for task_id, kind, start, end in run.tasks.filter(
            state=S.COMPLETE, task__isnull=False, actual_start__isnull=False, actual_end__isnull=False
        ).values_list("task_id", "type", "actual_start", "actual_end")
    }
    changed = 0
    with transaction.atomic():
        for task in runbook.tasks.select_for_update().filter(pk__in=actual):
            kind, minutes = actual[task.pk]
            if kind not in ZERO_DURATION_TYPES:
                minutes = max(1, minutes)
            if task.planned_minutes != minutes:
                task.planned_minutes = minutes
                task.version += 1
                task.save(update_fields=["planned_minutes", "version", "updated_at"])
                changed += 1
    return changed
