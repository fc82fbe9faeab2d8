"""Writes of the plan: milestones and tasks."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from erpimpl.errors import DomainError
from projects.audit import audited
from projects.models import (
    Milestone,
    Project,
    Task,
)
from projects.roles import (
    Capability,
    is_member,
    require,
)
from projects.updating import apply_update

NOT_A_MEMBER = "{user} is not a member of this project."
DEPENDENCY_OTHER_PROJECT = "A task can only depend on tasks of the same project."
DEPENDENCY_CYCLE = "This dependency would create a cycle: {title} already depends on this task."
DEPENDENCY_ON_ITSELF = N_("A task cannot depend on itself.")


# --- milestones and tasks ---------------------------------------------------------------

MILESTONE_FIELDS = {"title", "phase", "due_date", "achieved_on", "internal"}
TASK_FIELDS = {
    "title",
    "description",
    "phase",
    "owner",
    "start",
    "due",
    "progress",
    "status",
    "depends_on",
    "is_deliverable",
    "order",
    "internal",
}


def _check_same_project(project: Project, *, phase=None, owner=None):
    if phase is not None and phase.project_id != project.pk:
        raise DomainError(_("This phase belongs to another project."), field="phase")
    if owner is not None and not is_member(owner, project):
        raise DomainError(NOT_A_MEMBER.format(user=owner), field="owner")


@audited
def milestone_create(*, project: Project, by, **fields) -> Milestone:
    require(by, project, Capability.EDIT)
    _check_same_project(project, phase=fields.get("phase"))
    milestone = Milestone(project=project, **fields)
    milestone.full_clean()
    milestone.save()
    return milestone


@audited
def milestone_update(*, milestone: Milestone, by, version: int, **changes) -> Milestone:
    require(by, milestone.project, Capability.EDIT)
    _check_same_project(milestone.project, phase=changes.get("phase"))
    return apply_update(milestone, version=version, changes=changes, allowed=MILESTONE_FIELDS)


@audited
def milestone_delete(*, milestone: Milestone, by) -> None:
    require(by, milestone.project, Capability.EDIT)
    milestone.delete()


def _check_dependencies(task_pk: int | None, project: Project, depends_on) -> None:
    for other in depends_on:
        if other.project_id != project.pk:
            raise DomainError(DEPENDENCY_OTHER_PROJECT, field="depends_on")
    if task_pk is None:
        return
    # Walk upstream from each new dependency; meeting this task again means that this
    # dependency (the one named in the message) closes a cycle.
    for dependency in depends_on:
        if dependency.pk == task_pk:
            raise DomainError(_(DEPENDENCY_ON_ITSELF), field="depends_on")
        seen, frontier = set(), [dependency.pk]
        while frontier:
            pk = frontier.pop()
            if pk == task_pk:
                raise DomainError(DEPENDENCY_CYCLE.format(title=dependency.title), field="depends_on")
            if pk in seen:
                continue
            seen.add(pk)
            frontier.extend(
                Task.depends_on.through.objects.filter(from_task_id=pk).values_list("to_task_id", flat=True)
            )


def _normalise_task_status(changes: dict) -> None:
    if changes.get("status") == Task.Status.DONE:
        changes["progress"] = 100
    elif changes.get("progress") == 100 and "status" not in changes:
        changes["status"] = Task.Status.DONE


@audited
def task_create(*, project: Project, by, depends_on=(), **fields) -> Task:
    require(by, project, Capability.EDIT)
    _check_same_project(project, phase=fields.get("phase"), owner=fields.get("owner"))
    _check_dependencies(None, project, depends_on)
    _normalise_task_status(fields)
    with transaction.atomic():
        task = Task(project=project, **fields)
        task.full_clean()
        task.save()
        task.depends_on.set(depends_on)
    return task


@audited
def task_update(*, task: Task, by, version: int, **changes) -> Task:
    require(by, task.project, Capability.EDIT)
    _check_same_project(task.project, phase=changes.get("phase"), owner=changes.get("owner"))
    if "depends_on" in changes:
        _check_dependencies(task.pk, task.project, changes["depends_on"])
    _normalise_task_status(changes)
    return apply_update(task, version=version, changes=changes, allowed=TASK_FIELDS)


@audited
def task_delete(*, task: Task, by) -> None:
    require(by, task.project, Capability.EDIT)
    task.delete()
