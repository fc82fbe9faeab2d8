"""The role table: who may do what on a project. The one place that decides it.

Every door (dashboard views, portal, API, exports, downloads, Celery-started work) asks
``can()`` or ``require()``; querysets are narrowed with ``visible_to(user)`` before they
are filtered, so an object of another project answers 404.
"""

from contextvars import ContextVar
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_


class Role(models.TextChoices):
    PM = "pm", _("Project manager")
    CONSULTANT = "consultant", _("Consultant")
    SPONSOR = "sponsor", _("Sponsor")
    KEY_USER = "key_user", _("Key user")
    VIEWER = "viewer", _("Viewer")


class Capability(StrEnum):
    VIEW = "projects.view"  # read client-visible content
    VIEW_INTERNAL = "projects.view_internal"  # read internal notes, risks, estimates
    EDIT = "projects.edit_content"  # phase content, plans, designs, features, test cases
    PARTICIPATE = "projects.participate"  # execute UAT runs, log defects/incidents, comment
    UPLOAD_DATA = "datamigration.upload_data"  # upload master data, start validation runs
    RUN_JOBS = "projects.run_jobs"  # start loads, readiness checks, cutover tasks
    APPROVE = "projects.approve"  # sign-offs: design, UAT, go/no-go, phase gates
    MANAGE = "projects.manage"  # members, project settings, delete


C = Capability
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.PM: frozenset(Capability),
    Role.CONSULTANT: frozenset({C.VIEW, C.VIEW_INTERNAL, C.EDIT, C.PARTICIPATE, C.UPLOAD_DATA, C.RUN_JOBS}),
    Role.SPONSOR: frozenset({C.VIEW, C.PARTICIPATE, C.APPROVE}),
    Role.KEY_USER: frozenset({C.VIEW, C.PARTICIPATE, C.UPLOAD_DATA}),
    Role.VIEWER: frozenset({C.VIEW}),
}

#: Roles of the consulting firm; the others belong to the client's project team.
FIRM_ROLES = frozenset({Role.PM, Role.CONSULTANT})
CLIENT_ROLES = frozenset({Role.SPONSOR, Role.KEY_USER, Role.VIEWER})

NOT_ALLOWED = N_("Your role on this project does not allow this.")


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def roles_of(user) -> dict[int, str]:
    """``{project_id: role}`` for the user. Read fresh: a revoked membership counts at once."""
    if not _active(user):
        return {}
    from projects.models import Membership

    return dict(Membership.objects.filter(user=user).values_list("project_id", "role"))


#: ``{(user id, project id): role}`` read during the current request (see ``RoleMemo``);
#: ``None`` outside a request (jobs, shell, service tests): every call reads the database.
_ROLE_MEMO: ContextVar[dict | None] = ContextVar("erpimpl_role_memo", default=None)


class RoleMemo:
    """Middleware: a user's role on a project is read once per request, not once per row.

    A page that asks ``can()`` for each of 20,000 rows asked the database 20,000 times. The
    memo lives only as long as the request, so a revoked membership still counts on the next
    request; a membership written during the request clears it (``forget_roles``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _ROLE_MEMO.set({})
        try:
            return self.get_response(request)
        finally:
            _ROLE_MEMO.reset(token)


def forget_roles() -> None:
    """Drop the request's memo of roles (a membership was created, changed or removed)."""
    memo = _ROLE_MEMO.get()
    if memo is not None:
        memo.clear()


def role_of(user, project) -> str | None:
    if not _active(user):
        return None
    from projects.models import Membership

    project_id = getattr(project, "pk", project)
    memo = _ROLE_MEMO.get()
    key = (user.pk, project_id)
    if memo is not None and key in memo:
        return memo[key]
    role = Membership.objects.filter(user=user, project_id=project_id).values_list("role", flat=True).first()
    if memo is not None:
        memo[key] = role
    return role


def capabilities_of(user, project) -> frozenset[Capability]:
    if not _active(user):
        return frozenset()
    if user.is_staff:
        return frozenset(Capability)
    role = role_of(user, project)
    return ROLE_CAPABILITIES.get(role, frozenset())


def can(user, project, capability: Capability) -> bool:
    return capability in capabilities_of(user, project)


def require(user, project, capability: Capability) -> None:
    """Raise ``PermissionDenied`` unless the user holds the capability on the project."""
    if not can(user, project, capability):
        raise PermissionDenied(gettext(NOT_ALLOWED))


def roles_with(capability: Capability) -> list[str]:
    return [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]


def project_ids_with(user, capability: Capability):
    """A subquery of project ids where the user holds the capability; ``None`` means all (staff)."""
    from projects.models import Membership

    if not _active(user):
        return Membership.objects.none().values("project_id")
    if user.is_staff:
        return None
    return Membership.objects.filter(user=user, role__in=roles_with(capability)).values("project_id")


def is_client_only(user) -> bool:
    """True for users who belong to projects only through client roles (they use the portal)."""
    if user.is_staff:
        return False
    roles = set(roles_of(user).values())
    return bool(roles) and roles <= CLIENT_ROLES


def is_member(user, project) -> bool:
    """Whether the user belongs to the project (staff belong to every project)."""
    if not _active(user):
        return False
    return bool(user.is_staff) or role_of(user, project) is not None


def may_create_project(user) -> bool:
    """Firm staff and firm consultants (the ``Consultants`` group: ``projects.add_project``)."""
    return _active(user) and (user.is_staff or user.has_perm("projects.add_project"))


def members_with(project, capability: Capability):
    """Active users of the project whose role grants the capability, ordered by name."""
    from django.contrib.auth import get_user_model

    project_id = getattr(project, "pk", project)
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__project_id=project_id,
            memberships__role__in=roles_with(capability),
        )
        .order_by("first_name", "last_name", "username")
    )


SELF_APPROVAL = N_("You requested this sign-off; someone else must decide it (segregation of duties).")
NOT_YOUR_APPROVAL = N_("This sign-off waits for {user}'s decision.")


def decide_refusal(user, approval) -> str | None:
    """Why the user may not decide this pending sign-off, or ``None`` when they may.

    The capability is ``APPROVE``; a named approver decides alone (firm staff may stand
    in); and whoever requested a sign-off never decides it (segregation of duties), staff
    included.
    """
    if not can(user, approval.project_id, Capability.APPROVE):
        return gettext(NOT_ALLOWED)
    if approval.requested_by_id == user.pk:
        return gettext(SELF_APPROVAL)
    if approval.approver_id and approval.approver_id != user.pk and not user.is_staff:
        return gettext(NOT_YOUR_APPROVAL).format(user=approval.approver)
    return None


def may_decide(user, approval) -> bool:
    """Whether the user may approve or reject this sign-off now."""
    return approval.decision == "pending" and decide_refusal(user, approval) is None


def waiting_for_decision(user):
    """``may_decide`` as a filter on sign-offs of projects where the user may approve:
    pending, not requested by the user, addressed to them or to anyone."""
    from django.db.models import Q

    return Q(decision="pending") & ~Q(requested_by_id=user.pk) & (Q(approver__isnull=True) | Q(approver_id=user.pk))


def allowed_moves(user, project, table: dict, current: str) -> list[str]:
    """The statuses the user may move an object from ``current`` to.

    ``table`` is an app's transition table in the one shape of ``transitions.py``:
    ``{from_status: {to_status: Capability}}``.
    """
    caps = capabilities_of(user, project)
    return [target for target, capability in table.get(current, {}).items() if capability in caps]
