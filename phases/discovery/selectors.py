"""Read queries of Discovery & Planning: scoped to the user first, then filtered.

Public for other apps: ``requirement_list`` and ``current_process_list`` (design traces
its process designs to requirements; go-live may read them).
"""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

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


def _filtered(qs, filterset_class, filters, request):
    return filterset_class(filters, queryset=qs, request=request).qs if filters is not None else qs


def kickoff_list(*, user, filters=None, request=None):
    qs = Kickoff.objects.visible_to(user).select_related("project")
    return _filtered(qs, f.KickoffFilterSet, filters, request)


def stakeholder_list(*, user, filters=None, request=None):
    qs = Stakeholder.objects.visible_to(user).select_related("project", "user")
    return _filtered(qs, f.StakeholderFilterSet, filters, request)


def current_process_list(*, user, filters=None, request=None):
    qs = (
        CurrentProcess.objects.visible_to(user)
        .select_related("project", "owner")
        .annotate(requirement_count=Count("requirements", distinct=True))
        .order_by("business_area", "name")
    )
    return _filtered(qs, f.CurrentProcessFilterSet, filters, request)


def requirement_list(*, user, filters=None, request=None):
    qs = Requirement.objects.visible_to(user).select_related("project", "owner").prefetch_related("processes")
    return _filtered(qs, f.RequirementFilterSet, filters, request)


def raid_item_list(*, user, filters=None, request=None):
    qs = RaidItem.objects.visible_to(user).select_related("project", "owner")
    return _filtered(qs, f.RaidItemFilterSet, filters, request)


def rollout_wave_list(*, user, filters=None, request=None):
    qs = RolloutWave.objects.visible_to(user).select_related("project").prefetch_related("sites")
    return _filtered(qs, f.RolloutWaveFilterSet, filters, request)


def plan_document_list(*, user, filters=None, request=None):
    qs = PlanDocument.objects.visible_to(user).select_related("project", "uploaded_by")
    return _filtered(qs, f.PlanDocumentFilterSet, filters, request)


def discovery_signoff_list(*, user, filters=None, request=None):
    qs = DiscoverySignoff.objects.visible_to(user).select_related(
        "project", "approval", "approval__requested_by", "approval__decided_by", "approval__approver"
    )
    return _filtered(qs, f.DiscoverySignoffFilterSet, filters, request)


def get_in_project(qs, *, project, pk):
    """One object of ``qs`` (already scoped to the user) in the project; 404 otherwise."""
    return get_object_or_404(qs, pk=pk, project=project)


def discovery_summary(*, user, project) -> dict:
    """Counts for the discovery overview page (what the user may see)."""
    reqs = Requirement.objects.visible_to(user).filter(project=project)
    by_status = dict(reqs.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_fit = dict(reqs.values_list("fit_gap").annotate(n=Count("pk")).values_list("fit_gap", "n"))
    risks = RaidItem.objects.visible_to(user).filter(project=project, kind=RaidItem.Kind.RISK)
    open_risks = risks.filter(~Q(status=RaidItem.Status.CLOSED))
    return {
        "requirements": reqs.count(),
        "requirements_by_status": by_status,
        "requirements_by_fit_gap": by_fit,
        "agreed": by_status.get(Requirement.Status.AGREED, 0),
        "processes": CurrentProcess.objects.visible_to(user).filter(project=project).count(),
        "stakeholders": Stakeholder.objects.visible_to(user).filter(project=project).count(),
        "open_risks": open_risks.count(),
        "high_risks": sum(1 for r in open_risks if r.severity == "high"),
        "raid_open": RaidItem.objects.visible_to(user).filter(project=project).exclude(status="closed").count(),
        "waves": RolloutWave.objects.visible_to(user).filter(project=project).count(),
        "documents": PlanDocument.objects.visible_to(user).filter(project=project).count(),
    }
