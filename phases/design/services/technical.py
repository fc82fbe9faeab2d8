"""Technical requirements: acceptance criteria, and verification with evidence (text or file).

An evidence file goes through the one upload check of the site (``projects.files``):
extension, size and content sniffing (a file whose bytes do not match its extension is
refused), archives checked before anyone unpacks them.
"""

from django.db import transaction
from django.utils import timezone

from erpimpl.errors import STALE_VERSION, ConflictError, DomainError
from phases.design.models import TechnicalRequirement
from phases.design.services.common import check_owner
from projects.audit import audited
from projects.codes import next_number
from projects.files import EVIDENCE_TYPES, validate_upload
from projects.models import Project
from projects.roles import Capability, require
from projects.updating import apply_update, lock

VERIFY_NEEDS_EVIDENCE = "Record the verification evidence (a text or a file) before marking the requirement verified."

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

TECHNICAL_FIELDS = {"category", "title", "description", "acceptance_criterion", "owner", "status", "evidence"}


def _evidence_name(upload) -> str:
    """Check the evidence file; its safe base name to store and offer back as a download."""
    return validate_upload(upload, types=EVIDENCE_TYPES, max_bytes=MAX_EVIDENCE_BYTES, field="evidence_file").name[:255]


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
    check_owner(project, owner)
    fields = {"status": status, "evidence": evidence, "evidence_file": evidence_file}
    filename = _evidence_name(evidence_file) if evidence_file is not None else ""
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
            requirement.evidence_filename = filename
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
        check_owner(requirement.project, changes["owner"])
    filename = _evidence_name(evidence_file) if evidence_file is not None else ""
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
            changes.update(evidence_file=evidence_file, evidence_filename=filename)
        elif remove_evidence_file:
            changes.update(evidence_file="", evidence_filename="")
        allowed = TECHNICAL_FIELDS | {"verified_at", "verified_by", "evidence_file", "evidence_filename"}
        return apply_update(current, version=version, changes=changes, allowed=allowed)


@audited
def technical_requirement_delete(*, requirement: TechnicalRequirement, by) -> None:
    require(by, requirement.project, Capability.EDIT)
    requirement.delete()
