"""Read queries of the design app: scoped to the user first, then filtered.

Public for other apps (e.g. the go-live readiness check): ``technical_requirement_list``,
``technical_requirement_summary``, ``process_design_list`` and ``design_coverage``.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch

from phases.design import filters as f
from phases.design.models import (
    DesignStatus,
    FunctionDescription,
    ProcessDesign,
    ProcessDesignVersion,
    ProcessStep,
    TechnicalRequirement,
)
from phases.discovery.models import Requirement
from projects.models import Approval, Project
from projects.roles import may_decide
from projects.selectors import get_in_project

#: The fields of a process step, as the forms, the services and the version snapshots use them.
STEP_FIELDS = ("title", "actor", "erp_function", "work_instruction")


def _filtered(qs, filterset_class, filters, request):
    return filterset_class(filters, queryset=qs, request=request).qs if filters is not None else qs


def process_design_list(*, user, filters=None, request=None):
    qs = (
        ProcessDesign.objects.visible_to(user)
        .select_related("project", "owner", "approval", "approval__approver", "approval__decided_by")
        .annotate(requirement_count=Count("requirements", distinct=True))
        .order_by("project", "business_area", "number")
    )
    return _filtered(qs, f.ProcessDesignFilterSet, filters, request)


def process_design_get(*, user, project: Project | None, pk) -> ProcessDesign:
    """One design of the project (any visible project when ``project`` is None) with its
    steps, requirements and sign-off; otherwise 404."""
    qs = (
        process_design_list(user=user)
        .select_related("approval__decided_by")
        .prefetch_related(
            Prefetch("steps", queryset=ProcessStep.objects.order_by("order", "pk")),
            Prefetch("requirements", queryset=Requirement.objects.order_by("code")),
        )
    )
    return get_in_project(qs, project=project, pk=pk)


def process_step_rows(design: ProcessDesign) -> list[dict]:
    """The design's steps in order, as plain rows (``STEP_FIELDS``)."""
    return [{name: getattr(step, name) for name in STEP_FIELDS} for step in design.steps.order_by("order", "pk")]


def design_ever_approved(design: ProcessDesign) -> bool:
    """Whether a sign-off of this design was ever approved (it then keeps versions)."""
    return Approval.objects.filter(
        content_type=ContentType.objects.get_for_model(ProcessDesign),
        object_id=design.pk,
        decision=Approval.Decision.APPROVED,
    ).exists()


def may_decide_design(*, user, design: ProcessDesign) -> bool:
    """Whether the user may approve or reject the design's pending sign-off now (the pages
    offer the buttons only then): ``projects.roles.may_decide`` on its current request."""
    return design.approval is not None and may_decide(user, design.approval)


def designs_in_review(*, user, project: Project):
    """Designs of the project waiting for sign-off, with what the portal page shows."""
    return (
        process_design_list(user=user)
        .filter(project=project)
        .with_status([DesignStatus.IN_REVIEW])
        .prefetch_related(
            Prefetch("steps", queryset=ProcessStep.objects.order_by("order", "pk")),
            Prefetch("requirements", queryset=Requirement.objects.order_by("code")),
        )
    )


def process_design_version_list(*, user, filters=None, request=None):
    qs = ProcessDesignVersion.objects.visible_to(user).select_related(
        "design", "design__project", "approval", "approval__decided_by", "superseded_by"
    )
    return _filtered(qs, f.ProcessDesignVersionFilterSet, filters, request)


def process_design_version_get(*, user, project: Project | None, pk) -> ProcessDesignVersion:
    return get_in_project(process_design_version_list(user=user), project=project, pk=pk)


def function_description_list(*, user, filters=None, request=None):
    qs = FunctionDescription.objects.visible_to(user).select_related(
        "project", "requirement__project", "design__project"
    )
    return _filtered(qs, f.FunctionDescriptionFilterSet, filters, request)


def function_description_get(*, user, project: Project | None, pk) -> FunctionDescription:
    return get_in_project(function_description_list(user=user), project=project, pk=pk)


def technical_requirement_list(*, user, filters=None, request=None):
    qs = TechnicalRequirement.objects.visible_to(user).select_related("project", "owner", "verified_by")
    return _filtered(qs, f.TechnicalRequirementFilterSet, filters, request)


def technical_requirement_get(*, user, project: Project | None, pk) -> TechnicalRequirement:
    return get_in_project(technical_requirement_list(user=user), project=project, pk=pk)


def technical_requirement_summary(*, project: Project) -> dict[str, int]:
    """``{status: count}`` of a project's technical requirements (all statuses present)."""
    counts = dict(
        TechnicalRequirement.objects.filter(project=project)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in TechnicalRequirement.Status.values}


@dataclass
class Coverage:
    """How far the designs cover the agreed requirements of a project."""

    project: Project
    agreed_count: int
    covered_count: int
    uncovered_requirements: list = field(default_factory=list)
    designs_without_requirements: list = field(default_factory=list)

    @property
    def uncovered_count(self) -> int:
        return len(self.uncovered_requirements)

    @property
    def designs_without_requirements_count(self) -> int:
        return len(self.designs_without_requirements)

    @property
    def percent(self) -> int:
        return round(100 * self.covered_count / self.agreed_count) if self.agreed_count else 100


def design_coverage(*, user, project: Project) -> Coverage:
    """Agreed requirements covered by no process design and no function description, and
    process designs that cover no requirement."""
    in_design = ProcessDesign.requirements.through.objects.filter(requirement_id=OuterRef("pk"))
    described = FunctionDescription.objects.filter(requirement_id=OuterRef("pk"))
    agreed = (
        Requirement.objects.visible_to(user)
        .filter(project=project, status=Requirement.Status.AGREED)
        .annotate(in_design=Exists(in_design), described=Exists(described))
        .order_by("code")
    )
    uncovered = [r for r in agreed if not (r.in_design or r.described)]
    total = len(agreed)
    designs = list(
        process_design_list(user=user).filter(project=project, requirement_count=0).order_by("business_area", "number")
    )
    return Coverage(
        project=project,
        agreed_count=total,
        covered_count=total - len(uncovered),
        uncovered_requirements=uncovered,
        designs_without_requirements=designs,
    )


# --- readiness figures (public for golive: no user, a readiness job reads them) -----------


def process_designs_for_readiness(*, project: Project):
    """Every process design of the project, with its current sign-off and its project (for
    its link), in design order. All of them are in scope: a design has no cancelled state (a
    rejected sign-off only sends it back to draft), so each one is a process going live."""
    return (
        ProcessDesign.objects.filter(project=project)
        .select_related("project", "approval")
        .order_by("business_area", "number")
    )


def technical_requirements_for_readiness(*, project: Project):
    """The project's technical requirements with their project (for their links), by number."""
    return TechnicalRequirement.objects.filter(project=project).select_related("project").order_by("number")
