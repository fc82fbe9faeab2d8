"""Read queries of the projects app, shared by dashboard, portal, API and jobs."""

from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, BigIntegerField, BooleanField, Case, Count, Prefetch, Q, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404

from projects.audit import AuditEntryQuerySet, client_visible_entries
from projects.models import Approval, Membership, Milestone, Phase, Project, Task
from projects.roles import Capability, can, project_ids_with, waiting_for_decision


def project_list(*, user, filters=None, request=None):
    from projects.filters import ProjectFilterSet

    qs = Project.objects.visible_to(user).prefetch_related(
        Prefetch("phases", queryset=Phase.objects.annotate(task_progress=Avg("tasks__progress")))
    )
    if filters is not None:
        qs = ProjectFilterSet(filters, queryset=qs, request=request).qs
    return qs


def project_get(*, user, code: str) -> Project:
    return get_object_or_404(Project.objects.visible_to(user), code=code)


def get_in_project(queryset, *, project, pk):
    """Row ``pk`` of a user-scoped queryset, within ``project`` when given; otherwise 404.

    The one shape of every ``<entity>_get(*, user, project, pk)`` selector: the queryset
    comes from the entity's ``<entity>_list(user=...)`` (already narrowed with
    ``visible_to``), so another project's row, or an internal row for a client, is a 404
    exactly like a row that does not exist.
    """
    if project is not None:
        path = getattr(queryset.model, "scope_path", "project")
        queryset = queryset.filter(**{path: project})
    return get_object_or_404(queryset, pk=pk)


@dataclass(frozen=True)
class PhaseProgress:
    phase: Phase
    progress: int  # 0-100, the mean progress of the phase's tasks


def phase_progress(*, project: Project, user) -> list[PhaseProgress]:
    """Each phase with the mean progress of the tasks the user can see."""
    tasks = Task.objects.visible_to(user).filter(project=project)
    means = dict(tasks.values("phase_id").annotate(mean=Avg("progress")).values_list("phase_id", "mean"))
    return [
        PhaseProgress(phase=phase, progress=int(round(means.get(phase.pk) or 0)))
        for phase in project.phases.select_related("gate_approval").order_by("order")
    ]


def current_phase(phases: list[Phase]) -> Phase | None:
    """The phase in progress (the latest, if several overlap), else the first not completed."""
    in_progress = [p for p in phases if p.status == Phase.Status.IN_PROGRESS]
    if in_progress:
        return in_progress[-1]
    return next((p for p in phases if p.status != Phase.Status.COMPLETED), None)


def overall_progress(rows: list[PhaseProgress]) -> int:
    return int(round(sum(r.progress for r in rows) / len(rows))) if rows else 0


def milestone_list(*, user, filters=None, request=None):
    from projects.filters import MilestoneFilterSet

    qs = Milestone.objects.visible_to(user).select_related("project", "phase")
    return MilestoneFilterSet(filters, queryset=qs, request=request).qs if filters is not None else qs


def task_list(*, user, filters=None, request=None):
    from projects.filters import TaskFilterSet

    qs = Task.objects.visible_to(user).select_related("project", "phase", "owner").prefetch_related("depends_on")
    return TaskFilterSet(filters, queryset=qs, request=request).qs if filters is not None else qs


def membership_list(*, user):
    return Membership.objects.visible_to(user).select_related("project", "user")


def phase_list(*, user):
    return Phase.objects.visible_to(user).select_related("project", "gate_approval")


def approval_list(*, user):
    """The user's sign-offs, with what each signs off (``Approval.display_title`` composes from it)."""
    return (
        Approval.objects.visible_to(user)
        .select_related("project", "requested_by", "approver", "decided_by", "content_type")
        .prefetch_related("target")
    )


def phase_get(*, user, project: Project | None, pk: int) -> Phase:
    return get_in_project(phase_list(user=user), project=project, pk=pk)


def approval_get(*, user, project: Project | None, pk: int) -> Approval:
    return get_in_project(approval_list(user=user), project=project, pk=pk)


def task_get(*, user, project: Project | None, pk: int) -> Task:
    return get_in_project(task_list(user=user), project=project, pk=pk)


def milestone_get(*, user, project: Project | None, pk: int) -> Milestone:
    return get_in_project(milestone_list(user=user), project=project, pk=pk)


def membership_get(*, user, project: Project | None, pk: int) -> Membership:
    return get_in_project(membership_list(user=user), project=project, pk=pk)


def approvals_waiting_for(*, user, project: Project):
    """Pending sign-offs this user may decide on the project."""
    if not can(user, project, Capability.APPROVE):
        return Approval.objects.none()
    return approval_list(user=user).filter(waiting_for_decision(user), project=project)


def tasks_owned_by(*, user, project: Project):
    return task_list(user=user).filter(project=project, owner=user).exclude(status=Task.Status.DONE)


def project_member_counts(*, project: Project) -> dict[str, int]:
    return dict(project.memberships.values("role").annotate(n=Count("pk")).values_list("role", "n"))


def audit_entries(*, user, project: Project | None = None, target=None):
    """Audit entries the user may read, in one query: their projects only; for a client role,
    only entries of objects client-visible now, with internal fields left out of ``changes``
    (the rule and why it is decided on the object's current row: ``projects.audit``)."""
    qs = (
        AuditEntryQuerySet(LogEntry)
        .select_related("actor", "content_type")
        .annotate(entry_project_id=Cast(KT("additional_data__project_id"), BigIntegerField()))
        .order_by("-timestamp")
    )
    visible = project_ids_with(user, Capability.VIEW)
    if visible is not None:
        internal_ok = project_ids_with(user, Capability.VIEW_INTERNAL)
        qs = (
            qs.filter(entry_project_id__in=visible)
            .filter(Q(entry_project_id__in=internal_ok) | client_visible_entries(visible))
            .annotate(
                reader_sees_internal=Case(
                    When(entry_project_id__in=internal_ok, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        )
    if project is not None:
        qs = qs.filter(entry_project_id=project.pk)
    if target is not None:
        qs = qs.filter(content_type=ContentType.objects.get_for_model(target), object_pk=str(target.pk))
    return qs


def approval_recipients(approval: Approval) -> list:
    """The named approver, or every member who may approve on the project but its requester."""
    from projects.roles import members_with

    if approval.approver_id:
        return [approval.approver]
    return list(members_with(approval.project_id, Capability.APPROVE).exclude(pk=approval.requested_by_id))


def token_list(*, user):
    """The user's API tokens (knox), newest first."""
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user).order_by("-created")


# --- readiness figures (public for golive: no user, a readiness job reads them) -----------


def phase_tasks_for_readiness(*, project: Project, kind: str, today):
    """``(total, overdue)`` of the plan tasks of the project's phase of ``kind``: how many it
    has, and those overdue (due before ``today`` and not done) as a queryset, oldest due first.
    Two queries at most whatever the plan's size (the count, and the page of evidence read)."""
    tasks = Task.objects.filter(project=project, phase__kind=kind)
    overdue = tasks.filter(due__lt=today).exclude(status=Task.Status.DONE).order_by("due", "pk")
    return tasks.count(), overdue


def member_roles_for_readiness(*, project: Project, roles) -> dict[int, str]:
    """``{user id: role}`` of the project's members holding one of ``roles`` (one query)."""
    return dict(project.memberships.filter(role__in=list(roles)).values_list("user_id", "role"))
