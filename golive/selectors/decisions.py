"""Reads of go/no-go decisions, scoped to the user first (``visible_to``).

A client role reads a decision's snapshot without the internal results, and the score,
recommendation and blockers recomputed over what it may see (``snapshot_for``), the same
rule as ``golive.selectors.readiness.summary`` for a live run.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Q

from golive.models import GoNoGoDecision
from projects.roles import Capability, can, project_ids_with
from projects.selectors import get_in_project


def decision_list(*, user, filters=None, request=None):
    qs = GoNoGoDecision.objects.visible_to(user).select_related(
        "project", "readiness_run", "sponsor_signoff__approver", "pm_signoff__approver"
    )
    if filters is not None:
        from golive.filters.decisions import DecisionFilterSet

        qs = DecisionFilterSet(filters, queryset=qs, request=request).qs
    return qs


def decision_get(*, user, project, pk) -> GoNoGoDecision:
    return get_in_project(decision_list(user=user), project=project, pk=pk)


def _waiting(prefix: str, user) -> Q:
    return (
        Q(**{f"{prefix}__decision": "pending"})
        & ~Q(**{f"{prefix}__requested_by_id": user.pk})
        & (Q(**{f"{prefix}__approver__isnull": True}) | Q(**{f"{prefix}__approver_id": user.pk}))
    )


def decisions_waiting_for(*, user, project=None):
    """Pending decisions with a sign-off the user may answer now (``projects.roles.may_decide``
    as a filter: not requested by them, addressed to them or to anyone), on the projects where
    they may approve."""
    qs = decision_list(user=user).filter(outcome=GoNoGoDecision.Outcome.PENDING)
    approving = project_ids_with(user, Capability.APPROVE)
    if approving is not None:
        qs = qs.filter(project_id__in=approving)
    if project is not None:
        qs = qs.filter(project=project)
    return qs.filter(_waiting("sponsor_signoff", user) | _waiting("pm_signoff", user))


def snapshot_for(*, user, decision: GoNoGoDecision) -> dict:
    """The decision's snapshot as this user may read it: whole for firm roles; for client roles
    without internal results, and the score, recommendation and blockers recomputed over the
    client-visible ones (an internal blocker is neither shown nor counted)."""
    snapshot = dict(decision.snapshot or {})
    if can(user, decision.project, Capability.VIEW_INTERNAL):
        return snapshot
    from golive.services.readiness import score_of

    results = [r for r in snapshot.get("results", []) if not r.get("internal")]
    score, recommendation, blockers = score_of(
        [SimpleNamespace(result=r["result"], weight=r.get("weight", 1), blocking=r["blocking"]) for r in results]
    )
    snapshot.update(
        results=results,
        score=str(score) if isinstance(score, Decimal) else None,
        recommendation=recommendation,
        blockers=blockers,
    )
    return snapshot
