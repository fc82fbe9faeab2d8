"""Writes of current processes and requirements (codes, fit/gap, status moves)."""

import re

from django.db import transaction

from erpimpl.errors import DomainError
from phases.discovery.models import CurrentProcess, Requirement
from phases.discovery.services._base import C, check_member, check_same_project, delete_row, save_new
from phases.discovery.transitions import REQUIREMENT_TRANSITIONS
from projects.audit import audited
from projects.codes import next_codes
from projects.models import Project
from projects.roles import require
from projects.updating import apply_update

CODE_TAKEN = "Requirement code {code} is already used in this project."
BAD_CODE = "A requirement code uses letters, digits, '-', '_' or '.', e.g. REQ-001."
AGREED_NEEDS_ASSESSMENT = "An agreed requirement needs its fit/gap and its resolution."
ILLEGAL_TRANSITION = "A requirement cannot go from {from_status} to {to_status}."

S = Requirement.Status
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")

# --- current processes ----------------------------------------------------------------

PROCESS_FIELDS = {"business_area", "name", "as_is_description", "systems_used", "volumes", "pain_points", "owner"}


@audited
def current_process_create(*, project: Project, by, **fields) -> CurrentProcess:
    require(by, project, C.EDIT)
    check_member(project, fields.get("owner"))
    with transaction.atomic():
        return save_new(CurrentProcess(project=project, **fields))


@audited
def current_process_update(*, process: CurrentProcess, by, version: int, **changes) -> CurrentProcess:
    require(by, process.project, C.EDIT)
    if "owner" in changes:
        check_member(process.project, changes["owner"], current=process.owner)
    return apply_update(process, version=version, changes=changes, allowed=PROCESS_FIELDS)


@audited
def current_process_delete(*, process: CurrentProcess, by) -> None:
    delete_row(process, by=by)


# --- requirements ---------------------------------------------------------------------

REQUIREMENT_FIELDS = {
    "title",
    "description",
    "business_area",
    "source",
    "priority",
    "fit_gap",
    "resolution",
    "status",
    "owner",
    "internal_notes",
    "processes",
}


def check_agreed(status, fit_gap, resolution) -> None:
    if status == S.AGREED and not (fit_gap and resolution):
        raise DomainError(AGREED_NEEDS_ASSESSMENT, field="status")


def _check_move(requirement: Requirement, new_status: str, by) -> None:
    """The move must be in ``REQUIREMENT_TRANSITIONS``, and the user hold its capability."""
    if new_status == requirement.status:
        return
    capability = REQUIREMENT_TRANSITIONS.get(requirement.status, {}).get(new_status)
    if capability is None:
        raise DomainError(
            ILLEGAL_TRANSITION.format(from_status=requirement.get_status_display(), to_status=S(new_status).label),
            field="status",
        )
    require(by, requirement.project, capability)


@audited
def requirement_create(*, project: Project, by, code: str = "", processes=(), **fields) -> Requirement:
    require(by, project, C.EDIT)
    check_member(project, fields.get("owner"))
    check_same_project(project, processes, "processes")
    check_agreed(fields.get("status", S.DRAFT), fields.get("fit_gap"), fields.get("resolution"))
    code = (code or "").strip()
    if code and not CODE_RE.match(code):
        raise DomainError(BAD_CODE, field="code")
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)  # serialises code allocation
        if code and project.requirements.filter(code__iexact=code).exists():
            raise DomainError(CODE_TAKEN.format(code=code), field="code")
        code = code or next_codes(Requirement, project, "REQ")[0]
        return save_new(Requirement(project=project, code=code, **fields), {"processes": processes})


@audited
def requirement_update(*, requirement: Requirement, by, version: int, **changes) -> Requirement:
    project = requirement.project
    require(by, project, C.EDIT)
    if "owner" in changes:
        check_member(project, changes["owner"], current=requirement.owner)
    check_same_project(project, changes.get("processes"), "processes")
    new_status = changes.get("status", requirement.status)
    _check_move(requirement, new_status, by)
    check_agreed(
        new_status,
        changes.get("fit_gap", requirement.fit_gap),
        changes.get("resolution", requirement.resolution),
    )
    return apply_update(requirement, version=version, changes=changes, allowed=REQUIREMENT_FIELDS)


@audited
def requirement_delete(*, requirement: Requirement, by) -> None:
    delete_row(requirement, by=by)
