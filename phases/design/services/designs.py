"""Process designs: edit, submit for sign-off, decide, keep versions after approval.

* edited by firm roles (``EDIT``); the BPMN file is validated here (``phases.design.bpmn``),
  whichever door it came through;
* ``process_design_submit`` asks the sponsor's sign-off (a ``projects.Approval`` targeting
  the design); ``process_design_decide`` records the decision through
  ``projects.services.approval_decide`` (``APPROVE``; the requester never decides it);
* once a design has been approved, every change first keeps the state before it as a
  ``ProcessDesignVersion``; changing an *approved* design sends it back to review (a new
  sign-off request, to the same approver when they may still approve and did not make
  the change themselves).
"""

from auditlog.context import set_actor
from django.db import transaction

from erpimpl.errors import STALE_VERSION, ConflictError, DomainError
from phases.design import bpmn
from phases.design.models import DesignStatus, ProcessDesign, ProcessDesignVersion, ProcessStep
from phases.design.selectors import STEP_FIELDS, design_ever_approved, process_step_rows
from phases.design.services.common import check_owner, check_requirements
from projects.audit import audited
from projects.codes import next_number
from projects.models import Approval, Project
from projects.roles import Capability, can, require
from projects.services import approval_decide, approval_request
from projects.updating import apply_update, lock

STEP_TITLE_REQUIRED = "Step {number} needs a title."
ALREADY_IN_REVIEW = "This design is already waiting for sign-off."
ALREADY_APPROVED = "This design is already approved; change it to send it back to review."
NOTHING_TO_REVIEW = "Describe the to-be process or upload its BPMN diagram before asking for sign-off."
NOT_IN_REVIEW = "This design is not waiting for sign-off."
REJECT_NEEDS_COMMENT = "Say what must change when you reject a design."
DECISION_CHOICE = "Choose approve or reject."
DELETE_SIGNED_OFF = (
    "This design has been signed off; it cannot be deleted (change it instead, which keeps its history)."
)
DELETE_IN_REVIEW = "This design is waiting for sign-off; it cannot be deleted now."

DESIGN_FIELDS = {"business_area", "name", "as_is", "to_be", "owner", "requirements", "bpmn_xml", "bpmn_filename"}


def _clean_steps(steps) -> list[dict]:
    rows = []
    for index, step in enumerate(steps, start=1):
        row = {field: (step.get(field) or "").strip() for field in STEP_FIELDS}
        if not any(row.values()):
            continue
        if not row["title"]:
            raise DomainError(STEP_TITLE_REQUIRED.format(number=index), field="steps")
        rows.append(row)
    return rows


def _write_steps(design: ProcessDesign, rows: list[dict]) -> None:
    design.steps.all().delete()
    steps = [ProcessStep(design=design, order=index, **row) for index, row in enumerate(rows, start=1)]
    for step in steps:
        step.full_clean(exclude=["design"])
    ProcessStep.objects.bulk_create(steps)


def _bpmn_changes(bpmn_file) -> dict:
    data, name = bpmn.read_upload(bpmn_file)
    diagram = bpmn.validate_bpmn(data, filename=name)
    return {"bpmn_xml": diagram.xml, "bpmn_filename": diagram.filename}


def _differs(design: ProcessDesign, changes: dict, steps: list[dict] | None) -> bool:
    for field, value in changes.items():
        if field == "requirements":
            if {r.pk for r in value} != set(design.requirements.values_list("pk", flat=True)):
                return True
        elif field == "owner":
            if (value.pk if value else None) != design.owner_id:
                return True
        elif getattr(design, field) != value:
            return True
    return steps is not None and steps != process_step_rows(design)


def _snapshot(design: ProcessDesign, by) -> ProcessDesignVersion:
    """Keep the design's current content as a read-only version (numbered by its revision)."""
    version = ProcessDesignVersion(
        design=design,
        number=design.revision,
        business_area=design.business_area,
        name=design.name,
        as_is=design.as_is,
        to_be=design.to_be,
        bpmn_xml=design.bpmn_xml,
        bpmn_filename=design.bpmn_filename,
        steps=process_step_rows(design),
        requirements=[{"id": r.pk, "code": r.code, "title": r.title} for r in design.requirements.order_by("code")],
        status=design.status,
        approval=design.approval,
        superseded_by=by,
    )
    version.full_clean(exclude=["design", "approval", "superseded_by"])
    version.save()
    return version


def _re_review_approver(project: Project, previous, by):
    """Who decides the new review of a changed approved design: the previous approver, when
    they may still approve and are not the one who changed it (nobody signs off their own
    request); otherwise any approver of the project."""
    if previous is None or previous.pk == by.pk or not can(previous, project, Capability.APPROVE):
        return None
    return previous


@audited
def process_design_create(
    *,
    project: Project,
    by,
    business_area: str,
    name: str,
    as_is: str = "",
    to_be: str = "",
    owner=None,
    requirements=(),
    steps=(),
    bpmn_file=None,
) -> ProcessDesign:
    """Create a draft design, with its steps, requirements and (validated) BPMN diagram."""
    require(by, project, Capability.EDIT)
    check_owner(project, owner)
    check_requirements(project, requirements)
    rows = _clean_steps(steps)
    diagram = _bpmn_changes(bpmn_file) if bpmn_file is not None else {}
    with transaction.atomic():
        number = next_number(ProcessDesign, project)
        design = ProcessDesign(
            project=project,
            number=number,
            code=f"PD-{number:03d}",
            business_area=business_area,
            name=name,
            as_is=as_is,
            to_be=to_be,
            owner=owner,
            **diagram,
        )
        design.full_clean()
        design.save()
        design.requirements.set(requirements)
        _write_steps(design, rows)
    return design


@audited
def process_design_update(
    *, design: ProcessDesign, by, version: int, steps=None, bpmn_file=None, remove_bpmn: bool = False, **changes
) -> ProcessDesign:
    """Change a design. After approval, the earlier state is kept as a version first;
    an approved design goes back to review. A change that changes nothing is a no-op."""
    project = design.project
    require(by, project, Capability.EDIT)
    unknown = set(changes) - DESIGN_FIELDS
    if unknown:
        raise ValueError(f"not updatable here: {', '.join(sorted(unknown))}")
    if "owner" in changes:
        check_owner(project, changes["owner"])
    if "requirements" in changes:
        changes["requirements"] = list(changes["requirements"])
        check_requirements(project, changes["requirements"])
    if bpmn_file is not None:
        changes.update(_bpmn_changes(bpmn_file))
    elif remove_bpmn:
        changes.update(bpmn_xml="", bpmn_filename="")
    rows = _clean_steps(steps) if steps is not None else None
    with transaction.atomic():
        current = lock(design)
        if current.version != version:
            raise ConflictError(STALE_VERSION.format(current=current.version))
        if not _differs(current, changes, rows):
            return current
        was_approved = current.status == DesignStatus.APPROVED
        if design_ever_approved(current):
            _snapshot(current, by)
            changes["revision"] = current.revision + 1
        updated = apply_update(current, version=version, changes=changes, allowed=DESIGN_FIELDS | {"revision"})
        if rows is not None:
            _write_steps(updated, rows)
        if was_approved:
            approver = _re_review_approver(project, current.approval.approver, by)
            updated.approval = approval_request(
                project=project, by=by, title=updated.signoff_title(), target=updated, approver=approver
            )
            with set_actor(by):  # the nested audited service ended our actor context
                updated.save(update_fields=["approval", "updated_at"])
    return updated


@audited
def process_design_delete(*, design: ProcessDesign, by) -> None:
    require(by, design.project, Capability.EDIT)
    with transaction.atomic():
        current = lock(design)
        if design_ever_approved(current):
            raise DomainError(DELETE_SIGNED_OFF)
        if current.status == DesignStatus.IN_REVIEW:
            raise DomainError(DELETE_IN_REVIEW)
        current.delete()


@audited
def process_design_submit(*, design: ProcessDesign, by, approver=None) -> ProcessDesign:
    """Ask for the sponsor's sign-off (any approver of the project, or the one named)."""
    require(by, design.project, Capability.EDIT)
    with transaction.atomic():
        current = lock(design)
        if current.status == DesignStatus.IN_REVIEW:
            raise DomainError(ALREADY_IN_REVIEW)
        if current.status == DesignStatus.APPROVED:
            raise DomainError(ALREADY_APPROVED)
        if not (current.to_be.strip() or current.bpmn_xml):
            raise DomainError(NOTHING_TO_REVIEW)
        current.approval = approval_request(
            project=current.project, by=by, title=current.signoff_title(), target=current, approver=approver
        )
        current.version += 1
        with set_actor(by):  # the nested audited service ended our actor context
            current.save(update_fields=["approval", "version", "updated_at"])
    return current


@audited
def process_design_decide(*, design: ProcessDesign, by, decision: str, comment: str = "") -> ProcessDesign:
    """Approve or reject the design's pending sign-off (PM or sponsor; the named approver;
    never whoever requested it: ``PermissionDenied``)."""
    require(by, design.project, Capability.APPROVE)
    if decision not in (Approval.Decision.APPROVED, Approval.Decision.REJECTED):
        raise DomainError(DECISION_CHOICE, field="decision")
    if decision == Approval.Decision.REJECTED and not comment.strip():
        raise DomainError(REJECT_NEEDS_COMMENT, field="comment")
    with transaction.atomic():
        current = lock(design)
        if current.approval is None or current.approval.decision != Approval.Decision.PENDING:
            raise DomainError(NOT_IN_REVIEW)
        approval_decide(approval=current.approval, by=by, decision=decision, comment=comment)
    return ProcessDesign.objects.select_related("approval", "project").get(pk=design.pk)
