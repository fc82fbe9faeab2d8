"""The go/no-go decision: every write and the override rule.

A decision is taken on one finished readiness run, copied into ``snapshot`` (later runs or
criterion edits do not change what the meeting saw). Creating it asks two sign-offs through
``projects.services.approval_request``: the sponsor's and the PM's. Each approver answers
through ``decision_decide`` (approved = GO, rejected = NO-GO); the outcome is GO once both
approved and NO-GO as soon as one rejects.

The override rule lives in one function, ``override_refusal``: a GO while the snapshot has a
failed blocking criterion needs a reason. ``decision_decide`` applies it for the page, the
portal and the API alike; the generic sign-off door (``approval_decide`` from the project's
"waiting for you" list or ``/api/v1/projects/approvals/``) is closed for go/no-go sign-offs
by ``decision_signoff_check`` (to be registered with ``signoff_check_register``), so no door
can record a GO without its reason, nor leave the outcome out of step with the sign-offs.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from erpimpl.errors import DomainError
from golive.models import GoNoGoDecision, ReadinessResult, ReadinessRun
from projects import services as project_services
from projects.audit import audited
from projects.models import Approval, Project
from projects.roles import Capability, Role, decide_refusal, is_member, require, role_of
from projects.updating import apply_update, lock

NOT_MEMBERS = N_("Attendees must be members of the project: {names}.")
RUN_NOT_FINISHED = N_("Choose a finished readiness check of this project.")
NOT_PENDING = N_("This decision has already been taken ({outcome}).")
NOTHING_TO_DECIDE = N_("No sign-off of this decision waits for your answer.")
OVERRIDE_REASON_REQUIRED = N_(
    "A blocking criterion failed in the readiness check this decision is taken on: a GO needs an override reason."
)
DECIDE_ON_DECISION = N_("Decide a go/no-go sign-off on the decision's own page, where the override rule applies.")
SPONSOR_SIGNOFF_TITLE = N_("Go/no-go of %(date)s: sponsor")
PM_SIGNOFF_TITLE = N_("Go/no-go of %(date)s: project manager")

UPDATE_FIELDS = {"meeting_at", "attendees", "other_attendees", "conditions"}
FAILED = (ReadinessResult.Result.FAIL, ReadinessResult.Result.ERROR)

#: Set while ``decision_decide`` decides a sign-off: the generic door is closed otherwise.
_deciding: ContextVar[bool] = ContextVar("golive_deciding", default=False)


# --- the snapshot and the override rule -----------------------------------------------------


def snapshot_of(run: ReadinessRun) -> dict:
    """A copy of the run's figures and of each result, as the meeting saw them."""
    results = [
        {
            "code": r.code,
            "title": r.title,
            "category": r.category,
            "result": r.result,
            "blocking": r.blocking,
            "internal": r.internal,
            "weight": r.weight,
            "measured": r.measured,
            "threshold": r.threshold,
        }
        for r in run.results.order_by("order", "code")
    ]
    return {
        "run": run.pk,
        "number": run.number,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "score": str(run.score) if run.score is not None else None,
        "recommendation": run.recommendation,
        "blockers": run.blockers,
        "results": results,
    }


def failed_blockers(snapshot: dict) -> list[str]:
    """Codes of the blocking criteria that failed (or errored) in the snapshot, internal included."""
    return [r["code"] for r in snapshot.get("results", []) if r.get("blocking") and r.get("result") in FAILED]


def override_refusal(decision: GoNoGoDecision, *, go: bool, override_reason: str) -> str | None:
    """The override rule, the one place that says it: why this answer is refused, or ``None``.
    A GO on a snapshot with a failed blocking criterion needs a reason."""
    if go and failed_blockers(decision.snapshot) and not override_reason.strip():
        return _(OVERRIDE_REASON_REQUIRED)
    return None


def needs_override(decision: GoNoGoDecision) -> bool:
    """Whether a GO on this decision must carry an override reason (pages show the field)."""
    return bool(failed_blockers(decision.snapshot))


# --- approvers ------------------------------------------------------------------------------


def _approver(project: Project, by, role: str):
    """The first active member of the project in ``role`` other than the requester, or ``None``
    (then any member allowed to approve decides, never the requester)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__project=project, memberships__role=role)
        .exclude(pk=by.pk)
        .order_by("first_name", "last_name", "username")
        .first()
    )


# --- writes ---------------------------------------------------------------------------------


def _check_run(project: Project, run: ReadinessRun | None) -> None:
    if run is None or run.project_id != project.pk or run.status != ReadinessRun.Status.SUCCEEDED:
        raise DomainError(_(RUN_NOT_FINISHED), field="readiness_run")


@audited
def decision_create(
    *, project: Project, by, meeting_at, readiness_run: ReadinessRun, attendees=(), other_attendees: str = ""
) -> GoNoGoDecision:
    """Record the meeting on a finished run (copied) and ask the sponsor's and the PM's sign-offs."""
    require(by, project, Capability.EDIT)
    _check_run(project, readiness_run)
    _check_attendees(project, attendees)
    with transaction.atomic():
        decision = GoNoGoDecision(
            project=project,
            meeting_at=meeting_at,
            other_attendees=other_attendees,
            readiness_run=readiness_run,
            snapshot=snapshot_of(readiness_run),
        )
        decision.full_clean()
        decision.save()
        decision.attendees.set(attendees)
        date = {"date": meeting_at.date()}
        decision.sponsor_signoff = project_services.approval_request(
            project=project,
            by=by,
            title=_(SPONSOR_SIGNOFF_TITLE) % date,
            target=decision,
            approver=_approver(project, by, Role.SPONSOR),
        )
        decision.pm_signoff = project_services.approval_request(
            project=project,
            by=by,
            title=_(PM_SIGNOFF_TITLE) % date,
            target=decision,
            approver=_approver(project, by, Role.PM),
        )
        decision.save(update_fields=["sponsor_signoff", "pm_signoff", "updated_at"])
    return decision


def _check_attendees(project: Project, attendees) -> None:
    """Attendees are members of the project (never people of another project)."""
    strangers = [user for user in attendees or () if not is_member(user, project)]
    if strangers:
        raise DomainError(
            _(NOT_MEMBERS).format(names=", ".join(sorted(u.username for u in strangers))), field="attendees"
        )


def _check_pending(decision: GoNoGoDecision) -> None:
    if decision.outcome != GoNoGoDecision.Outcome.PENDING:
        raise DomainError(_(NOT_PENDING).format(outcome=decision.get_outcome_display()))


@audited
def decision_update(*, decision: GoNoGoDecision, by, version: int | None, **changes) -> GoNoGoDecision:
    """Edit the meeting, its attendees or the conditions while the decision is pending."""
    require(by, decision.project, Capability.EDIT)
    _check_pending(decision)
    if "attendees" in changes:
        _check_attendees(decision.project, changes["attendees"])
    return apply_update(decision, version=version, changes=changes, allowed=UPDATE_FIELDS)


def signoff_for(decision: GoNoGoDecision, user) -> Approval | None:
    """The pending sign-off of the decision that this user answers now, or ``None``.

    The one addressed to them by name first; otherwise the one of their role (a sponsor the
    sponsor's, a PM the PM's); otherwise any they may decide."""
    pending = [a for a in (decision.sponsor_signoff, decision.pm_signoff) if a is not None]
    pending = [a for a in pending if a.decision == Approval.Decision.PENDING and decide_refusal(user, a) is None]
    for approval in pending:
        if approval.approver_id == user.pk:
            return approval
    role = role_of(user, decision.project)
    mine = decision.sponsor_signoff if role == Role.SPONSOR else decision.pm_signoff if role == Role.PM else None
    if mine in pending:
        return mine
    return pending[0] if pending else None


def _refusal_for(decision: GoNoGoDecision, user) -> str:
    for approval in (decision.sponsor_signoff, decision.pm_signoff):
        if approval is not None and approval.decision == Approval.Decision.PENDING:
            refusal = decide_refusal(user, approval)
            if refusal:
                return refusal
    return _(NOTHING_TO_DECIDE)


def _outcome(decision: GoNoGoDecision) -> str:
    answers = [a.decision for a in (decision.sponsor_signoff, decision.pm_signoff) if a is not None]
    if Approval.Decision.REJECTED in answers:
        return GoNoGoDecision.Outcome.NO_GO
    if answers and all(d == Approval.Decision.APPROVED for d in answers):
        return GoNoGoDecision.Outcome.GO
    return GoNoGoDecision.Outcome.PENDING


@audited
def decision_decide(
    *, decision: GoNoGoDecision, by, go: bool, conditions: str = "", override_reason: str = ""
) -> GoNoGoDecision:
    """An approver's GO (approve) or NO-GO (reject) on their sign-off; the outcome follows.

    A GO on a snapshot with a failed blocking criterion needs ``override_reason``
    (``override_refusal``); the reason and the conditions are recorded on the decision and
    in the sign-off's comment."""
    require(by, decision.project, Capability.APPROVE)
    with transaction.atomic():
        current = lock(decision)
        _check_pending(current)
        approval = signoff_for(current, by)
        if approval is None:
            refusal = _refusal_for(current, by)
            if refusal == _(NOTHING_TO_DECIDE):
                raise DomainError(refusal)
            raise PermissionDenied(refusal)
        refusal = override_refusal(current, go=go, override_reason=override_reason)
        if refusal:
            raise DomainError(refusal, field="override_reason")
        reason, conditions = override_reason.strip(), conditions.strip()
        comment_lines = []
        if go and reason and needs_override(current):
            comment_lines.append(_("Override: %(reason)s") % {"reason": reason})
            current.override_reason = f"{current.override_reason}\n{reason}".strip()
        if conditions:
            comment_lines.append(_("Conditions: %(conditions)s") % {"conditions": conditions})
            current.conditions = f"{current.conditions}\n{conditions}".strip()
        token = _deciding.set(True)
        try:
            project_services.approval_decide(
                approval=approval,
                by=by,
                decision=Approval.Decision.APPROVED if go else Approval.Decision.REJECTED,
                comment="\n".join(comment_lines),
            )
        finally:
            _deciding.reset(token)
        for name in ("sponsor_signoff", "pm_signoff"):
            if getattr(current, f"{name}_id"):
                getattr(current, name).refresh_from_db()
        current.outcome = _outcome(current)
        current.version += 1
        current.full_clean()
        current.save(update_fields=["outcome", "conditions", "override_reason", "version", "updated_at"])
    return current


def decision_signoff_check(*, approval: Approval, by, decision: str, comment: str = "") -> None:
    """Refuse deciding a go/no-go sign-off through any door but ``decision_decide``.

    Register with ``projects.services.signoff_check_register("golive.gonogodecision", ...)``
    (``GoliveConfig.ready``): the generic sign-off pages and API then send the approver to the
    decision, where the override rule and the outcome are applied."""
    if not _deciding.get():
        raise DomainError(_(DECIDE_ON_DECISION))
