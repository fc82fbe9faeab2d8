"""Every write of the design app. Plain functions taking the acting user as ``by``.

Process designs:
* edited by firm roles (``EDIT``); the BPMN file is validated here (``phases.design.bpmn``),
  whichever door it came through;
* ``process_design_submit`` asks the sponsor's sign-off (a ``projects.Approval`` targeting
  the design); ``process_design_decide`` records the decision (``APPROVE``: PM or sponsor);
* once a design has been approved, every change first keeps the state before it as a
  ``ProcessDesignVersion``; changing an *approved* design sends it back to review (a new
  sign-off request, to the same approver when they may still approve).
"""

from auditlog.context import set_actor
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erpimpl.errors import STALE_VERSION, ConflictError, DomainError
from phases.design import bpmn
from phases.design.models import (
    DesignStatus,
    FunctionDescription,
    ProcessDesign,
    ProcessDesignVersion,
    ProcessStep,
    TechnicalRequirement,
)
from projects.audit import audited
from projects.codes import next_number
from projects.models import Approval, Membership, Project
from projects.roles import Capability, can, require
from projects.services import approval_decide, approval_request
from projects.updating import apply_update, lock

OWNER_NOT_MEMBER = "{user} is not a member of this project."
REQUIREMENT_OTHER_PROJECT = "Requirement {code} belongs to another project."
DESIGN_OTHER_PROJECT = "This process design belongs to another project."
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
VERIFY_NEEDS_EVIDENCE = "Record the verification evidence (a text or a file) before marking the requirement verified."
EVIDENCE_TYPE = "Evidence files must be one of: {allowed}."
EVIDENCE_TOO_LARGE = "The evidence file is larger than {limit} MB."

EVIDENCE_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".txt", ".log", ".csv", ".xlsx", ".docx", ".zip")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

STEP_FIELDS = ("title", "actor", "erp_function", "work_instruction")
DESIGN_FIELDS = {"business_area", "name", "as_is", "to_be", "owner", "requirements", "bpmn_xml", "bpmn_filename"}


# --- shared checks ----------------------------------------------------------------------


def _check_owner(project: Project, owner) -> None:
    if owner is None or owner.is_staff:
        return
    if not Membership.objects.filter(project=project, user=owner).exists():
        raise DomainError(OWNER_NOT_MEMBER.format(user=owner), field="owner")


def _check_requirements(project: Project, requirements) -> None:
    for requirement in requirements:
        if requirement.project_id != project.pk:
            raise DomainError(REQUIREMENT_OTHER_PROJECT.format(code=requirement.code), field="requirements")


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


def _steps_of(design: ProcessDesign) -> list[dict]:
    return [{field: getattr(step, field) for field in STEP_FIELDS} for step in design.steps.order_by("order", "pk")]


def _bpmn_changes(bpmn_file) -> dict:
    data, name = bpmn.read_upload(bpmn_file)
    diagram = bpmn.validate_bpmn(data, filename=name)
    return {"bpmn_xml": diagram.xml, "bpmn_filename": diagram.filename}


def _ever_approved(design: ProcessDesign) -> bool:
    return Approval.objects.filter(
        content_type=ContentType.objects.get_for_model(ProcessDesign),
        object_id=design.pk,
        decision=Approval.Decision.APPROVED,
    ).exists()


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
    return steps is not None and steps != _steps_of(design)


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
        steps=_steps_of(design),
        requirements=[{"id": r.pk, "code": r.code, "title": r.title} for r in design.requirements.order_by("code")],
        status=design.status,
        approval=design.approval,
        superseded_by=by,
    )
    version.full_clean(exclude=["design", "approval", "superseded_by"])
    version.save()
    return version


def _design_title(design: ProcessDesign) -> str:
    return _("Process design sign-off: %(code)s %(name)s") % {"code": design.code, "name": design.name}


# --- process designs --------------------------------------------------------------------


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
    _check_owner(project, owner)
    _check_requirements(project, requirements)
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
        _check_owner(project, changes["owner"])
    if "requirements" in changes:
        changes["requirements"] = list(changes["requirements"])
        _check_requirements(project, changes["requirements"])
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
        if _ever_approved(current):
            _snapshot(current, by)
            changes["revision"] = current.revision + 1
        updated = apply_update(current, version=version, changes=changes, allowed=DESIGN_FIELDS | {"revision"})
        if rows is not None:
            _write_steps(updated, rows)
        if was_approved:
            previous = current.approval.approver
            approver = previous if previous is not None and can(previous, project, Capability.APPROVE) else None
            updated.approval = approval_request(
                project=project, by=by, title=_design_title(updated), target=updated, approver=approver
            )
            with set_actor(by):  # the nested audited service ended our actor context
                updated.save(update_fields=["approval", "updated_at"])
    return updated


@audited
def process_design_delete(*, design: ProcessDesign, by) -> None:
    require(by, design.project, Capability.EDIT)
    with transaction.atomic():
        current = lock(design)
        if _ever_approved(current):
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
            project=current.project, by=by, title=_design_title(current), target=current, approver=approver
        )
        current.version += 1
        with set_actor(by):  # the nested audited service ended our actor context
            current.save(update_fields=["approval", "version", "updated_at"])
    return current


@audited
def process_design_decide(*, design: ProcessDesign, by, decision: str, comment: str = "") -> ProcessDesign:
    """Approve or reject the design's pending sign-off (PM or sponsor; the named approver)."""
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


# --- function descriptions --------------------------------------------------------------

FUNCTION_FIELDS = {"requirement", "design", "kind", "title", "description", "erp_reference"}


def _check_function_refs(project: Project, requirement=None, design=None) -> None:
    if requirement is not None:
        _check_requirements(project, [requirement])
    if design is not None and design.project_id != project.pk:
        raise DomainError(DESIGN_OTHER_PROJECT, field="design")


@audited
def function_description_create(
    *,
    project: Project,
    by,
    requirement,
    title: str,
    kind: str = FunctionDescription.Kind.STANDARD,
    description: str = "",
    erp_reference: str = "",
    design=None,
) -> FunctionDescription:
    require(by, project, Capability.EDIT)
    _check_function_refs(project, requirement, design)
    function = FunctionDescription(
        project=project,
        requirement=requirement,
        design=design,
        kind=kind,
        title=title,
        description=description,
        erp_reference=erp_reference,
    )
    function.full_clean()
    function.save()
    return function


@audited
def function_description_update(*, function: FunctionDescription, by, version: int, **changes) -> FunctionDescription:
    require(by, function.project, Capability.EDIT)
    _check_function_refs(function.project, changes.get("requirement"), changes.get("design"))
    return apply_update(function, version=version, changes=changes, allowed=FUNCTION_FIELDS)


@audited
def function_description_delete(*, function: FunctionDescription, by) -> None:
    require(by, function.project, Capability.EDIT)
    function.delete()


# --- technical requirements -------------------------------------------------------------

TECHNICAL_FIELDS = {"category", "title", "description", "acceptance_criterion", "owner", "status", "evidence"}


def _check_evidence_file(upload) -> None:
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(EVIDENCE_EXTENSIONS):
        raise DomainError(EVIDENCE_TYPE.format(allowed=", ".join(EVIDENCE_EXTENSIONS)), field="evidence_file")
    if (getattr(upload, "size", 0) or 0) > MAX_EVIDENCE_BYTES:
        raise DomainError(EVIDENCE_TOO_LARGE.format(limit=MAX_EVIDENCE_BYTES // (1024 * 1024)), field="evidence_file")


def _verification(current: TechnicalRequirement | None, changes: dict, by) -> None:
    """Stamp or clear who verified and when; verifying needs evidence."""
    status = changes.get("status", current.status if current else TechnicalRequirement.Status.OPEN)
    was_verified = current is not None and current.status == TechnicalRequirement.Status.VERIFIED
    if status == TechnicalRequirement.Status.VERIFIED:
        evidence = changes.get("evidence", current.evidence if current else "")
        has_file = changes.get("evidence_file") is not None or bool(current and current.evidence_file)
        if changes.get("remove_evidence_file"):
            has_file = changes.get("evidence_file") is not None
        if not ((evidence or "").strip() or has_file):
            raise DomainError(VERIFY_NEEDS_EVIDENCE, field="evidence")
        if not was_verified:
            changes.update(verified_at=timezone.now(), verified_by=by)
    elif was_verified:
        changes.update(verified_at=None, verified_by=None)


@audited
def technical_requirement_create(
    *,
    project: Project,
    by,
    category: str,
    title: str,
    acceptance_criterion: str,
    description: str = "",
    owner=None,
    status: str = TechnicalRequirement.Status.OPEN,
    evidence: str = "",
    evidence_file=None,
) -> TechnicalRequirement:
    require(by, project, Capability.EDIT)
    _check_owner(project, owner)
    fields = {"status": status, "evidence": evidence, "evidence_file": evidence_file}
    if evidence_file is not None:
        _check_evidence_file(evidence_file)
    _verification(None, fields, by)
    fields.pop("evidence_file")
    with transaction.atomic():
        number = next_number(TechnicalRequirement, project)
        requirement = TechnicalRequirement(
            project=project,
            number=number,
            code=f"TR-{number:03d}",
            category=category,
            title=title,
            description=description,
            acceptance_criterion=acceptance_criterion,
            owner=owner,
            **fields,
        )
        if evidence_file is not None:
            requirement.evidence_file = evidence_file
            requirement.evidence_filename = evidence_file.name.rsplit("/", 1)[-1][:255]
        requirement.full_clean()
        requirement.save()
    return requirement


@audited
def technical_requirement_update(
    *,
    requirement: TechnicalRequirement,
    by,
    version: int,
    evidence_file=None,
    remove_evidence_file: bool = False,
    **changes,
) -> TechnicalRequirement:
    require(by, requirement.project, Capability.EDIT)
    if "owner" in changes:
        _check_owner(requirement.project, changes["owner"])
    if evidence_file is not None:
        _check_evidence_file(evidence_file)
    probe = dict(changes, evidence_file=evidence_file, remove_evidence_file=remove_evidence_file)
    with transaction.atomic():
        current = lock(requirement)
        if current.version != version:
            raise ConflictError(STALE_VERSION.format(current=current.version))
        _verification(current, probe, by)
        for stamp in ("verified_at", "verified_by"):
            if stamp in probe:
                changes[stamp] = probe[stamp]
        if evidence_file is not None:
            changes.update(evidence_file=evidence_file, evidence_filename=evidence_file.name.rsplit("/", 1)[-1][:255])
        elif remove_evidence_file:
            changes.update(evidence_file="", evidence_filename="")
        allowed = TECHNICAL_FIELDS | {"verified_at", "verified_by", "evidence_file", "evidence_filename"}
        return apply_update(current, version=version, changes=changes, allowed=allowed)


@audited
def technical_requirement_delete(*, requirement: TechnicalRequirement, by) -> None:
    require(by, requirement.project, Capability.EDIT)
    requirement.delete()
