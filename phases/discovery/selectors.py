"""Read queries of Discovery & Planning: scoped to the user first, then filtered.

Public for other apps: ``requirement_list`` and ``current_process_list`` (design traces
its process designs to requirements; go-live may read them).

``<entity>_list(*, user)`` is what the user may see; ``<entity>_get(*, user, project, pk)``
is one row of it in the project (``project`` may be ``None`` for API lookups), else 404.
"""

from django.db.models import Count, Q

from phases.discovery import filters as f
from phases.discovery.models import (
    CurrentProcess,
    DiscoverySignoff,
    Kickoff,
    PlanDocument,
    RaidItem,
    Requirement,
    RolloutWave,
    Stakeholder,
)
from phases.discovery.transitions import REQUIREMENT_TRANSITIONS
from projects.models import Approval
from projects.roles import Capability, allowed_moves, can, decide_refusal, may_decide, members_with
from projects.selectors import get_in_project


def _filtered(qs, filterset_class, filters, request):
    return filterset_class(filters, queryset=qs, request=request).qs if filters is not None else qs


# --- lists and rows -------------------------------------------------------------------


def kickoff_list(*, user, filters=None, request=None):
    qs = Kickoff.objects.visible_to(user).select_related("project")
    return _filtered(qs, f.KickoffFilterSet, filters, request)


def kickoff_get(*, user, project, pk) -> Kickoff:
    return get_in_project(kickoff_list(user=user), project=project, pk=pk)


def stakeholder_list(*, user, filters=None, request=None):
    qs = Stakeholder.objects.visible_to(user).select_related("project", "user")
    return _filtered(qs, f.StakeholderFilterSet, filters, request)


def stakeholder_get(*, user, project, pk) -> Stakeholder:
    return get_in_project(stakeholder_list(user=user), project=project, pk=pk)


def current_process_list(*, user, filters=None, request=None):
    qs = (
        CurrentProcess.objects.visible_to(user)
        .select_related("project", "owner")
        .annotate(requirement_count=Count("requirements", distinct=True))
        .order_by("business_area", "name")
    )
    return _filtered(qs, f.CurrentProcessFilterSet, filters, request)


def current_process_get(*, user, project, pk) -> CurrentProcess:
    return get_in_project(current_process_list(user=user), project=project, pk=pk)


def requirement_list(*, user, filters=None, request=None):
    qs = Requirement.objects.visible_to(user).select_related("project", "owner")
    return _filtered(qs, f.RequirementFilterSet, filters, request)


def requirement_get(*, user, project, pk) -> Requirement:
    return get_in_project(requirement_list(user=user), project=project, pk=pk)


def raid_item_list(*, user, filters=None, request=None):
    qs = RaidItem.objects.visible_to(user).select_related("project", "owner")
    return _filtered(qs, f.RaidItemFilterSet, filters, request)


def raid_item_get(*, user, project, pk) -> RaidItem:
    return get_in_project(raid_item_list(user=user), project=project, pk=pk)


def rollout_wave_list(*, user, filters=None, request=None):
    qs = RolloutWave.objects.visible_to(user).select_related("project").prefetch_related("sites")
    return _filtered(qs, f.RolloutWaveFilterSet, filters, request)


def rollout_wave_get(*, user, project, pk) -> RolloutWave:
    return get_in_project(rollout_wave_list(user=user), project=project, pk=pk)


def plan_document_list(*, user, filters=None, request=None):
    qs = PlanDocument.objects.visible_to(user).select_related("project", "uploaded_by")
    return _filtered(qs, f.PlanDocumentFilterSet, filters, request)


def plan_document_get(*, user, project, pk) -> PlanDocument:
    return get_in_project(plan_document_list(user=user), project=project, pk=pk)


def discovery_signoff_list(*, user, filters=None, request=None):
    qs = DiscoverySignoff.objects.visible_to(user).select_related(
        "project", "approval", "approval__requested_by", "approval__decided_by", "approval__approver"
    )
    return _filtered(qs, f.DiscoverySignoffFilterSet, filters, request)


def discovery_signoff_get(*, user, project, pk) -> DiscoverySignoff:
    return get_in_project(discovery_signoff_list(user=user), project=project, pk=pk)


# --- requirement status ---------------------------------------------------------------


def requirement_status_choices(*, user, project, current: str) -> list[tuple[str, str]]:
    """``(value, label)`` of the current status and of every status the user may move to."""
    allowed = {current, *allowed_moves(user, project, REQUIREMENT_TRANSITIONS, current)}
    return [(value, label) for value, label in Requirement.Status.choices if value in allowed]


def with_status_choices(requirements, *, user, project) -> list[Requirement]:
    """The requirements, each with ``status_choices`` for its inline status select."""
    by_status: dict[str, list] = {}
    rows = list(requirements)
    for requirement in rows:
        if requirement.status not in by_status:
            by_status[requirement.status] = requirement_status_choices(
                user=user, project=project, current=requirement.status
            )
        requirement.status_choices = by_status[requirement.status]
    return rows


# --- kick-off: the RACI matrix --------------------------------------------------------


def person_key(user=None, stakeholder=None) -> str:
    """A RACI column: ``u<user id>`` for a member, ``s<stakeholder id>`` for a stakeholder."""
    return f"u{user.pk}" if user is not None else f"s{stakeholder.pk}"


def _user_name(user) -> str:
    return user.get_full_name() or user.username


def raci_matrix(kickoff: Kickoff) -> dict:
    """The matrix for display: columns (people) and rows (activity, letters per column)."""
    activities = list(kickoff.raci_activities.prefetch_related("assignments__user", "assignments__stakeholder"))
    people = {}
    for user in kickoff.attendee_members.all():
        people[person_key(user=user)] = _user_name(user)
    for stakeholder in kickoff.attendee_stakeholders.all():
        people[person_key(stakeholder=stakeholder)] = str(stakeholder)
    for activity in activities:
        for cell in activity.assignments.all():
            label = _user_name(cell.user) if cell.user else str(cell.person)
            people.setdefault(person_key(cell.user, cell.stakeholder), label)
    columns = list(people.items())
    rows = []
    for activity in activities:
        letters = {person_key(c.user, c.stakeholder): c.letter for c in activity.assignments.all()}
        rows.append({"activity": activity.name, "letters": [letters.get(key, "") for key, _label in columns]})
    return {"columns": columns, "rows": rows}


def raci_grid(kickoff: Kickoff, *, blank_rows: int = 3) -> tuple[list[tuple[str, str]], list[dict]]:
    """The editable grid: every column of the matrix, then the project's members and
    stakeholders; one row per activity (``cells``: ``[(key, letter)]``) plus blank rows."""
    matrix = raci_matrix(kickoff)
    columns = dict(matrix["columns"])
    for user in members_with(kickoff.project, Capability.VIEW):
        columns.setdefault(person_key(user=user), _user_name(user))
    for stakeholder in kickoff.project.stakeholders.all():
        columns.setdefault(person_key(stakeholder=stakeholder), str(stakeholder))
    keys = list(columns)
    known = [key for key, _label in matrix["columns"]]
    rows = []
    for row in matrix["rows"]:
        letters = dict(zip(known, row["letters"], strict=True))
        rows.append({"activity": row["activity"], "cells": [(key, letters.get(key, "")) for key in keys]})
    for _i in range(blank_rows):
        rows.append({"activity": "", "cells": [(key, "") for key in keys]})
    return [(key, columns[key]) for key in keys], rows


# --- overview, portal and sign-off ----------------------------------------------------


def open_risks(*, user, project, client_view: bool = False) -> list[RaidItem]:
    """Risks not closed, highest score first. ``client_view``: never an internal one."""
    qs = raid_item_list(user=user).filter(project=project, kind=RaidItem.Kind.RISK)
    if client_view:
        qs = qs.filter(internal=False)
    return sorted(qs.exclude(status=RaidItem.Status.CLOSED), key=lambda r: -(r.score or 0))


def signoff_state(*, user, project) -> dict:
    """The sign-off history, the pending one, and whether (or why not) the user may decide it."""
    signoffs = discovery_signoff_list(user=user).filter(project=project)
    pending = next((s for s in signoffs if s.approval_id and s.approval.decision == Approval.Decision.PENDING), None)
    may = pending is not None and may_decide(user, pending.approval)
    refusal = None
    if pending is not None and not may and can(user, project, Capability.APPROVE):
        refusal = decide_refusal(user, pending.approval)  # e.g. the requester: someone else decides
    return {"signoffs": signoffs, "pending_signoff": pending, "may_decide": may, "decide_refusal": refusal}


def discovery_snapshot(project) -> dict:
    """What a sign-off request submits: the agreed requirement codes and the counts."""
    agreed = project.requirements.filter(status=Requirement.Status.AGREED).order_by("code")
    return {
        "agreed_requirements": list(agreed.values_list("code", flat=True)),
        "requirements_total": project.requirements.count(),
        "current_processes": project.current_processes.count(),
        "stakeholders": project.stakeholders.count(),
        "kickoffs": project.kickoffs.count(),
        "rollout_waves": project.rollout_waves.count(),
        "plan_documents": project.plan_documents.filter(internal=False).count(),
        "open_client_visible_risks": project.raid_items.filter(
            kind=RaidItem.Kind.RISK, internal=False, status__in=[RaidItem.Status.OPEN, RaidItem.Status.IN_PROGRESS]
        ).count(),
    }


def discovery_summary(*, user, project) -> dict:
    """Counts for the discovery overview page (what the user may see)."""
    reqs = Requirement.objects.visible_to(user).filter(project=project)
    by_status = dict(reqs.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_fit = dict(reqs.values_list("fit_gap").annotate(n=Count("pk")).values_list("fit_gap", "n"))
    risks = RaidItem.objects.visible_to(user).filter(project=project, kind=RaidItem.Kind.RISK)
    open_risk_rows = risks.filter(~Q(status=RaidItem.Status.CLOSED))
    return {
        "requirements": reqs.count(),
        "requirements_by_status": by_status,
        "requirements_by_fit_gap": by_fit,
        "agreed": by_status.get(Requirement.Status.AGREED, 0),
        "processes": CurrentProcess.objects.visible_to(user).filter(project=project).count(),
        "stakeholders": Stakeholder.objects.visible_to(user).filter(project=project).count(),
        "open_risks": open_risk_rows.count(),
        "high_risks": sum(1 for r in open_risk_rows if r.severity == "high"),
        "raid_open": RaidItem.objects.visible_to(user).filter(project=project).exclude(status="closed").count(),
        "waves": RolloutWave.objects.visible_to(user).filter(project=project).count(),
        "documents": PlanDocument.objects.visible_to(user).filter(project=project).count(),
    }


# --- readiness figures (public for golive: no user, a readiness job reads them) -----------


def discovery_signoff_for_readiness(*, project) -> DiscoverySignoff | None:
    """The project's latest discovery sign-off request with its approval, or ``None`` when
    none was ever requested. The latest one counts: a resubmission replaces earlier decisions."""
    return (
        DiscoverySignoff.objects.filter(project=project)
        .select_related("project", "approval")
        .order_by("-created_at", "-pk")
        .first()
    )


def must_requirements_for_readiness(*, project):
    """The project's agreed must-have requirements (the scope go-live is judged on), by code,
    with their project (for their links). A queryset: callers count or filter it."""
    return (
        Requirement.objects.filter(
            project=project, status=Requirement.Status.AGREED, priority=Requirement.Priority.MUST
        )
        .select_related("project")
        .order_by("code")
    )
