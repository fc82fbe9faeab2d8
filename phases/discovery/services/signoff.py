"""The discovery sign-off: submit the deliverables (a snapshot) and decide through ``projects``."""

from django.db import transaction

from erpimpl.errors import DomainError
from phases.discovery.models import DiscoverySignoff
from phases.discovery.selectors import discovery_snapshot
from phases.discovery.services._base import C, save_new
from projects import services as project_services
from projects.audit import audited
from projects.models import Approval, Phase, PhaseKind, Project
from projects.roles import require

SIGNOFF_PENDING = "A discovery sign-off is already waiting for a decision."
SIGNOFF_NOTHING_AGREED = "Nothing to sign off yet: no requirement is agreed."


@audited
def discovery_signoff_request(*, project: Project, by, summary: str = "", approver=None) -> DiscoverySignoff:
    """Submit the discovery deliverables for the sponsor's sign-off (one pending at a time).

    The approval becomes the discovery phase's gate, so the phase can be completed only
    once it is approved. Whoever requests it never decides it (``projects.roles``).
    """
    require(by, project, C.EDIT)
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        if project.discovery_signoffs.filter(approval__decision=Approval.Decision.PENDING).exists():
            raise DomainError(SIGNOFF_PENDING)
        snapshot = discovery_snapshot(project)
        if not snapshot["agreed_requirements"]:
            raise DomainError(SIGNOFF_NOTHING_AGREED)
        signoff = save_new(DiscoverySignoff(project=project, summary=summary, snapshot=snapshot))
        request = {"by": by, "target": signoff, "approver": approver, "title": signoff.signoff_title()}
        phase = Phase.objects.filter(project=project, kind=PhaseKind.DISCOVERY).first()
        if phase is not None:  # the phase's gate: one at a time, never after it is approved
            approval = project_services.phase_request_gate(phase=phase, **request)
        else:
            approval = project_services.approval_request(project=project, **request)
        signoff.approval = approval
        signoff.save(update_fields=["approval", "updated_at"])
    return signoff


@audited
def discovery_signoff_decide(*, signoff: DiscoverySignoff, by, decision: str, comment: str = "") -> DiscoverySignoff:
    """Approve or reject: roles that may approve (PM, sponsor), the named approver if any,
    never the requester (``projects.services.approval_decide`` refuses them: 403)."""
    require(by, signoff.project, C.APPROVE)
    project_services.approval_decide(approval=signoff.approval, by=by, decision=decision, comment=comment)
    signoff.refresh_from_db()
    signoff.approval.refresh_from_db()
    return signoff
