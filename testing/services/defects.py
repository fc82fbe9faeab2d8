"""Defects: raise (PARTICIPATE), triage (EDIT), move along ``DEFECT_TRANSITIONS``, comment."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erpimpl.errors import STALE_VERSION, ConflictError, DomainError
from projects.audit import audited
from projects.codes import next_codes
from projects.models import Project
from projects.roles import Capability, can, require
from projects.updating import apply_update, lock
from testing.models import Case, Cycle, Defect, DefectComment, StepResult, StepStatus
from testing.services.common import (
    ILLEGAL_TRANSITION,
    STEP_NOT_FAILED,
    TRANSITION_NOT_ALLOWED,
    check_links,
    check_member,
    check_same_project,
)
from testing.transitions import DEFECT_TRANSITIONS, RESOLVED_DEFECT_STATUSES

C = Capability

DEFECT_FIELDS = {"title", "description", "severity", "priority", "assignee", "development_item", "environment"}


def _stamp_resolved(defect: Defect) -> None:
    if defect.status in RESOLVED_DEFECT_STATUSES:
        defect.resolved_at = defect.resolved_at or timezone.now()
    else:
        defect.resolved_at = None


@audited
def defect_create(
    *,
    project: Project,
    by,
    title: str,
    description: str = "",
    severity: str = Defect.Severity.MAJOR,
    priority: str = Defect.Priority.MEDIUM,
    assignee=None,
    step_result: StepResult | None = None,
    case: Case | None = None,
    cycle: Cycle | None = None,
    **links,
) -> Defect:
    """Log a defect. Raised from a failed step, it carries that run's case, cycle and environment."""
    require(by, project, C.PARTICIPATE)
    check_member(project, assignee, "assignee")
    check_same_project(project, step_result, _("step"), "step_result")
    check_same_project(project, case, _("test case"), "case")
    check_same_project(project, cycle, _("cycle"), "cycle")
    check_links(project, links)
    execution = None
    if step_result is not None:
        if step_result.status not in (StepStatus.FAILED, StepStatus.BLOCKED):
            raise DomainError(
                _(STEP_NOT_FAILED).format(status=step_result.get_status_display().lower()), field="step_result"
            )
        execution = step_result.execution
        case, cycle = execution.case, execution.cycle
    if cycle is not None and links.get("environment") is None:
        links["environment"] = cycle.environment
    with transaction.atomic():
        lock(project)
        defect = Defect(
            project=project,
            code=next_codes(Defect, project, "DEF")[0],
            title=title,
            description=description,
            severity=severity,
            priority=priority,
            assignee=assignee,
            reported_by=by,
            step_result=step_result,
            execution=execution,
            case=case,
            cycle=cycle,
            **links,
        )
        defect.full_clean()
        defect.save()
    return defect


@audited
def defect_update(*, defect: Defect, by, version: int, **changes) -> Defect:
    """Edit a defect's description, severity, priority, assignee or linked item (the firm's triage)."""
    require(by, defect.project, C.EDIT)
    check_member(defect.project, changes.get("assignee"), "assignee")
    check_links(defect.project, {k: v for k, v in changes.items() if k in {"development_item", "environment"}})
    return apply_update(defect, version=version, changes=changes, allowed=DEFECT_FIELDS)


@audited
def defect_transition(*, defect: Defect, by, to_status: str, comment: str = "", version: int | None = None) -> Defect:
    """Move a defect along ``DEFECT_TRANSITIONS``; a comment, if given, is kept with the move."""
    require(by, defect.project, C.PARTICIPATE)
    with transaction.atomic():
        current = lock(defect)
        if version is not None and current.version != version:
            raise ConflictError(STALE_VERSION.format(current=current.version))
        allowed = DEFECT_TRANSITIONS.get(current.status, {})
        labels = {
            "current": current.get_status_display().lower(),
            "target": Defect.Status(to_status).label.lower() if to_status in Defect.Status.values else to_status,
        }
        if to_status not in allowed:
            raise DomainError(_(ILLEGAL_TRANSITION).format(**labels), field="to_status")
        if not can(by, defect.project, allowed[to_status]):
            raise DomainError(_(TRANSITION_NOT_ALLOWED).format(**labels), field="to_status")
        current.status = to_status
        _stamp_resolved(current)
        current.version += 1
        current.full_clean()
        current.save()
        if comment.strip():
            DefectComment.objects.create(defect=current, author=by, body=comment.strip())
    return current


@audited
def defect_comment_add(*, defect: Defect, by, body: str) -> DefectComment:
    require(by, defect.project, C.PARTICIPATE)
    if not body.strip():
        raise DomainError(_("Write a comment."), field="body")
    comment = DefectComment(defect=defect, author=by, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment
