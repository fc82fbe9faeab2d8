"""Read queries of the support plan, training and user guides, scoped to the user first.

A user guide in draft (not published) is firm work in progress: only firm roles
(``VIEW_INTERNAL``) see it and its files; client roles see published guides only, on every
door (pages, portal, API, downloads). Completion figures are counted by the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery

from golive.models import (
    Attendance,
    EscalationLevel,
    SupportPlan,
    SupportTeam,
    TrainingSession,
    UserGuide,
    UserGuideVersion,
)
from projects.models import Membership
from projects.roles import Capability, project_ids_with
from projects.selectors import get_in_project


def _filtered(qs, filterset_class, filters, request):
    if filters is None:
        return qs
    return filterset_class(filters, queryset=qs, request=request).qs


def support_plan_list(*, user):
    return (
        SupportPlan.objects.visible_to(user)
        .select_related("project", "signoff", "signoff__requested_by", "signoff__decided_by")
        .order_by("project_id")
    )


def support_plan_of(*, user, project) -> SupportPlan | None:
    return support_plan_list(user=user).filter(project=project).first()


def team_list(*, user, filters=None, request=None):
    from golive.filters.people import SupportTeamFilterSet

    qs = SupportTeam.objects.visible_to(user).select_related("plan__project").prefetch_related("members")
    return _filtered(qs, SupportTeamFilterSet, filters, request)


def team_get(*, user, project, pk) -> SupportTeam:
    return get_in_project(team_list(user=user), project=project, pk=pk)


def escalation_list(*, user, filters=None, request=None):
    from golive.filters.people import EscalationFilterSet

    qs = EscalationLevel.objects.visible_to(user).select_related("plan__project", "team")
    return _filtered(qs, EscalationFilterSet, filters, request)


def escalation_get(*, user, project, pk) -> EscalationLevel:
    return get_in_project(escalation_list(user=user), project=project, pk=pk)


def session_list(*, user, filters=None, request=None):
    from golive.filters.people import TrainingSessionFilterSet

    qs = TrainingSession.objects.visible_to(user).select_related("project", "trainer")
    return _filtered(qs, TrainingSessionFilterSet, filters, request)


def session_get(*, user, project, pk) -> TrainingSession:
    return get_in_project(session_list(user=user), project=project, pk=pk)


def attendance_list(*, user, filters=None, request=None):
    from golive.filters.people import AttendanceFilterSet

    qs = Attendance.objects.visible_to(user).select_related("session__project", "user")
    return _filtered(qs, AttendanceFilterSet, filters, request)


def attendance_get(*, user, project, pk) -> Attendance:
    return get_in_project(attendance_list(user=user), project=project, pk=pk)


def my_sessions(*, user, project):
    """The sessions the user is invited to, with their own attendance status (``my_status``)."""
    mine = Attendance.objects.filter(session=OuterRef("pk"), user=user).values("status")[:1]
    return (
        session_list(user=user)
        .filter(project=project, attendance__user=user)
        .annotate(my_status=Subquery(mine))
        .order_by("starts_at")
    )


def _guide_scope(qs, user, path: str = ""):
    """Published guides for everyone; drafts for firm roles only."""
    firm = project_ids_with(user, Capability.VIEW_INTERNAL)
    if firm is None:
        return qs
    return qs.filter(Q(**{f"{path}published": True}) | Q(**{f"{path}project_id__in": firm}))


def guide_list(*, user, filters=None, request=None):
    from golive.filters.people import UserGuideFilterSet

    qs = _guide_scope(UserGuide.objects.visible_to(user), user).select_related("project")
    return _filtered(qs, UserGuideFilterSet, filters, request)


def guide_get(*, user, project, pk) -> UserGuide:
    return get_in_project(guide_list(user=user), project=project, pk=pk)


def guide_version_list(*, user):
    qs = UserGuideVersion.objects.visible_to(user).select_related("guide__project", "uploaded_by")
    return _guide_scope(qs, user, "guide__")


def guide_version_get(*, user, project, pk) -> UserGuideVersion:
    return get_in_project(guide_version_list(user=user), project=project, pk=pk)


@dataclass(frozen=True)
class Completion:
    """Attended / invited for one role or one process."""

    key: str
    label: str
    invited: int
    attended: int

    @property
    def percent(self) -> int:
        return round(100 * self.attended / self.invited) if self.invited else 0


def _counts(qs, key: str, label: str | None = None) -> list[dict]:
    fields = [key] if label is None else [key, label]
    return list(
        qs.values(*fields)
        .annotate(invited=Count("id"), attended=Count("id", filter=Q(status=Attendance.Status.ATTENDED)))
        .order_by(label or key)
    )


def completion_by_role(*, project) -> list[Completion]:
    """Per role of the invited people on the project: attended / invited (one query)."""
    from projects.roles import Role

    role = Membership.objects.filter(project=OuterRef("session__project"), user=OuterRef("user")).values("role")[:1]
    rows = _counts(Attendance.objects.filter(session__project=project).annotate(role=Subquery(role)), "role")
    labels = dict(Role.choices)
    return [
        Completion(
            key=r["role"] or "", label=str(labels.get(r["role"], "—")), invited=r["invited"], attended=r["attended"]
        )
        for r in rows
    ]


def completion_by_process(*, project) -> list[Completion]:
    """Per process the sessions train: attended / invited of those sessions (one query)."""
    rows = _counts(
        Attendance.objects.filter(session__project=project, session__processes__isnull=False),
        "session__processes__code",
        "session__processes__name",
    )
    return [
        Completion(
            key=r["session__processes__code"],
            label=f"{r['session__processes__code']} {r['session__processes__name']}",
            invited=r["invited"],
            attended=r["attended"],
        )
        for r in rows
    ]
