"""UAT sign-off of a cycle: requested by the test team (EDIT), decided by an approver.

Who decides is ``projects.roles.decide_refusal`` (APPROVE; a named approver decides alone;
the requester never decides their own request). Approving with open critical defects needs
an explicit override and its reason, on every door (``cycle_signoff_check`` is registered
with ``projects.services.approval_decide``).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from erpimpl.errors import DomainError
from projects import services as project_services
from projects.audit import audited
from projects.models import Approval
from projects.roles import Capability, decide_refusal, require
from projects.updating import lock
from testing.models import Cycle, Execution
from testing.selectors import cycle_for_approval, open_critical_codes
from testing.services.common import (
    OPEN_CRITICAL_DEFECTS,
    OVERRIDE_REASON_REQUIRED,
    SIGNOFF_NO_CASES,
    SIGNOFF_NOT_REQUESTED,
    SIGNOFF_PENDING,
    SIGNOFF_RUNS_OPEN,
    check_not_signed_off,
)


@audited
def cycle_signoff_request(*, cycle: Cycle, by, approver=None) -> Approval:
    """Ask the sponsor (or any approver but the requester) to sign the cycle off."""
    require(by, cycle.project, Capability.EDIT)
    if cycle.signoff_id and cycle.signoff.decision == Approval.Decision.PENDING:
        raise DomainError(_(SIGNOFF_PENDING))
    check_not_signed_off(cycle)
    if not cycle.cycle_cases.exists():
        raise DomainError(_(SIGNOFF_NO_CASES))
    running = cycle.executions.filter(status=Execution.Status.IN_PROGRESS).count()
    if running:
        raise DomainError(_(SIGNOFF_RUNS_OPEN).format(n=running))
    with transaction.atomic():
        current = lock(cycle)
        approval = project_services.approval_request(
            project=cycle.project,
            by=by,
            title=current.signoff_title(),
            target=current,
            approver=approver,
        )
        current.signoff = approval
        current.signoff_override_reason = ""
        current.version += 1
        current.save(update_fields=["signoff", "signoff_override_reason", "version", "updated_at"])
    return approval


def _critical_refusal(codes: list[str]) -> str:
    return _(OPEN_CRITICAL_DEFECTS).format(n=len(codes), codes=", ".join(codes))


@audited
def cycle_signoff_decide(
    *, cycle: Cycle, by, decision: str, comment: str = "", override: bool = False, override_reason: str = ""
) -> Cycle:
    """An approver's decision. Approving with open critical defects needs ``override`` and a reason."""
    require(by, cycle.project, Capability.APPROVE)
    with transaction.atomic():
        current = lock(cycle)
        approval = current.signoff
        if approval is None or approval.decision != Approval.Decision.PENDING:
            raise DomainError(_(SIGNOFF_NOT_REQUESTED))
        refusal = decide_refusal(by, approval)
        if refusal:
            raise PermissionDenied(refusal)
        if decision == Approval.Decision.APPROVED:
            critical = open_critical_codes(current)
            if critical and not override:
                raise DomainError(_critical_refusal(critical), field="override")
            if critical and not override_reason.strip():
                raise DomainError(_(OVERRIDE_REASON_REQUIRED), field="override_reason")
            if critical:
                current.signoff_override_reason = override_reason.strip()
            current.status = Cycle.Status.COMPLETED
        full_comment = comment
        if decision == Approval.Decision.APPROVED and current.signoff_override_reason:
            full_comment = (comment + "\n" if comment else "") + _("Override: %(reason)s") % {
                "reason": current.signoff_override_reason
            }
        # The cycle (with its override reason) is saved first: the Approval guard reads it.
        current.version += 1
        current.save(update_fields=["status", "signoff_override_reason", "version", "updated_at"])
        project_services.approval_decide(approval=approval, by=by, decision=decision, comment=full_comment)
    current.refresh_from_db()
    return current


def cycle_signoff_check(*, approval: Approval, by, decision: str, comment: str = "") -> None:
    """Refuse approving a cycle sign-off with open critical defects unless the cycle records an
    override reason, whatever door the decision came through (the generic approval pages and
    API call ``approval_decide``, which runs this check; see ``TestingConfig.ready``)."""
    if decision != Approval.Decision.APPROVED or approval.object_id is None:
        return
    cycle = cycle_for_approval(approval)
    if cycle is None or cycle.signoff_override_reason.strip():
        return
    critical = open_critical_codes(cycle)
    if critical:
        raise DomainError(_critical_refusal(critical))
