"""Sign-offs: request, notify the approvers, decide (with the owning app's checks)."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erpimpl.errors import DomainError
from projects import selectors
from projects.audit import audited
from projects.models import (
    Approval,
    Project,
)
from projects.roles import (
    SELF_APPROVAL,
    Capability,
    can,
    decide_refusal,
    require,
)
from projects.updating import lock

APPROVER_CANNOT_APPROVE = "{user} cannot approve sign-offs on this project (only the PM and the sponsor can)."
ALREADY_DECIDED = "This sign-off was already decided ({decision})."


# --- approvals --------------------------------------------------------------------------

#: Rules an app adds to the decision of a sign-off on one of its objects, keyed by the
#: target's ``"app_label.model"``: ``check(approval=, by=, decision=, comment=)`` raises
#: ``DomainError`` to refuse. Registered from the owning app's ``AppConfig.ready``, so every
#: door that decides sign-offs (``approval_decide``) applies them.
SIGNOFF_CHECKS: dict[str, Callable[..., None]] = {}


def signoff_check_register(model_label: str, check: Callable[..., None]) -> None:
    SIGNOFF_CHECKS[model_label.lower()] = check


@audited
def approval_request(*, project: Project, by, title: str, target=None, approver=None) -> Approval:
    """Ask for a sign-off. ``approver``, if named, must be allowed to approve on the project."""
    require(by, project, Capability.EDIT)
    if approver is not None and not can(approver, project, Capability.APPROVE):
        raise DomainError(APPROVER_CANNOT_APPROVE.format(user=approver), field="approver")
    if approver is not None and approver.pk == by.pk:
        raise DomainError(_(SELF_APPROVAL), field="approver")
    approval = Approval(
        project=project,
        title=title,
        requested_by=by,
        approver=approver,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=target.pk if target is not None else None,
    )
    approval.full_clean()
    approval.save()
    from projects.tasks import approval_notify_task

    approval_notify_task.delay_on_commit(approval.pk)
    return approval


def approval_link(approval: Approval) -> str:
    """The absolute address of what is to be approved: the target's page, else the project's
    (whose "waiting for you" list decides any sign-off). ``settings.SITE_URL`` starts it."""
    target = approval.target if approval.content_type_id else None
    path = target.get_absolute_url() if hasattr(target, "get_absolute_url") else approval.project.get_absolute_url()
    return f"{settings.SITE_URL}{path}"


def approval_notify(*, approval_id: int) -> bool:
    """E-mail the approvers that a sign-off waits for them, with a link to it. Runs once per approval.

    Never to the requester (``selectors.approval_recipients``): they do not decide their own.

    The row is claimed with a conditional UPDATE inside the transaction that sends the
    mail: a redelivered task finds it claimed and sends nothing; a failed send rolls the
    claim back so the retry sends it. Returns whether this call sent the notice.
    """
    with transaction.atomic():
        claimed = Approval.objects.filter(
            pk=approval_id, notified_at__isnull=True, decision=Approval.Decision.PENDING
        ).update(notified_at=timezone.now())
        if not claimed:
            return False
        approval = Approval.objects.select_related("project", "requested_by").get(pk=approval_id)
        recipients = [u.email for u in selectors.approval_recipients(approval) if u.email]
        if recipients:
            send_mail(
                subject=_("[%(code)s] Sign-off waiting for you: %(title)s")
                % {"code": approval.project.code, "title": approval.title},
                message=_("%(who)s asks for your decision on “%(title)s” in project %(project)s.")
                % {"who": approval.requested_by, "title": approval.title, "project": approval.project}
                + "\n\n"
                + _("Review it and decide here: %(url)s") % {"url": approval_link(approval)},
                from_email=None,
                recipient_list=recipients,
            )
    return True


@audited
def approval_decide(*, approval: Approval, by, decision: str, comment: str = "") -> Approval:
    """Approve or reject a pending sign-off; only its named approver (or any approver) decides."""
    require(by, approval.project, Capability.APPROVE)
    if decision not in (Approval.Decision.APPROVED, Approval.Decision.REJECTED):
        raise DomainError(_("Choose approve or reject."), field="decision")
    with transaction.atomic():
        current = lock(approval)
        if current.decision != Approval.Decision.PENDING:
            raise DomainError(ALREADY_DECIDED.format(decision=current.get_decision_display().lower()))
        refusal = decide_refusal(by, current)
        if refusal:
            raise PermissionDenied(refusal)
        if current.content_type_id:
            check = SIGNOFF_CHECKS.get(f"{current.content_type.app_label}.{current.content_type.model}")
            if check is not None:
                check(approval=current, by=by, decision=decision, comment=comment)
        current.decision = decision
        current.comment = comment
        current.decided_by = by
        current.decided_at = timezone.now()
        current.full_clean()
        current.save()
    return current
