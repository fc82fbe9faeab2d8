"""The people side of going live: every write and rule of the support plan, training and user guides.

Support plan: one per project (``support_plan_get_or_create``), edited with ``version``, with
teams (members must belong to the project) and one escalation contact per level (L1, L2, L3).
Its sign-off is an ``Approval`` on the plan (``projects.services.approval_request``) that any
approver but the requester decides (sponsor or PM, ``approval_decide``). Editing an approved
plan keeps the approval on the record; the plan then shows "changed since approval"
(``plan_changed_since_approval``) and a new sign-off may be requested. A change to a team or
an escalation level counts as a change of the plan (its ``updated_at`` moves, not its version,
so a form open on the plan stays valid).

Training: sessions for audience roles and processes, invitations (one attendance row per
person), attendance recorded by an editor or the session's trainer. User guides: numbered
file versions (checked uploads), published for the client or not.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from erpimpl.errors import DomainError
from golive.models import (
    Attendance,
    EscalationLevel,
    SupportPlan,
    SupportTeam,
    TrainingSession,
    UserGuide,
    UserGuideVersion,
)
from projects import services as project_services
from projects.audit import audited
from projects.files import types_of, validate_upload
from projects.models import Approval, Membership, Project
from projects.roles import NOT_ALLOWED, Capability, Role, can, require
from projects.updating import apply_update, lock

HYPERCARE_END_BEFORE_START = N_("Hypercare ends after it starts.")
NOT_A_MEMBER = N_("{user} is not a member of this project.")
LEVEL_TAKEN = N_("The plan already has an {level} escalation contact.")
TEAM_OF_OTHER_PLAN = N_("Choose a team of this support plan.")
SIGNOFF_PENDING = N_("The support plan's sign-off already waits for a decision.")
SIGNOFF_UNCHANGED = N_("The support plan is approved and has not changed since; no new sign-off is needed.")
SIGNOFF_NOT_REQUESTED = N_("No sign-off of the support plan waits for a decision.")
ENDS_BEFORE_STARTS = N_("A session ends after it starts.")
UNKNOWN_ROLE = N_("Unknown role: {role}.")
PROCESS_OF_OTHER_PROJECT = N_("Choose processes of this project.")
NOTHING_TO_INVITE = N_("Name the people or the roles to invite.")
BAD_STATUS = N_("Choose one of the attendance statuses.")
NO_FILE_TO_PUBLISH = N_("Add a file to the guide before publishing it.")

#: User guides: documents, slides, spreadsheets and pictures (a zip container is checked).
GUIDE_TYPES = types_of(".pdf", ".docx", ".pptx", ".xlsx", ".png", ".jpg", ".jpeg")
GUIDE_MAX_BYTES = 25 * 1024 * 1024

PLAN_FIELDS = {"hypercare_start", "hypercare_end", "exit_criteria", "procedure", "working_hours"}
SESSION_FIELDS = {"topic", "audience_roles", "processes", "starts_at", "ends_at", "trainer", "place"}
GUIDE_FIELDS = {"title", "processes"}
ESCALATION_FIELDS = {"level", "team", "contact_name", "contact_email", "contact_phone", "when"}


# --- shared checks ----------------------------------------------------------------------


def _check_members(project: Project, users, *, field: str) -> None:
    """Refuse any user who is not a member of the project (one query for all of them)."""
    users = [u for u in users if u is not None]
    if not users:
        return
    member_ids = set(Membership.objects.filter(project=project, user__in=users).values_list("user_id", flat=True))
    for user in users:
        if user.pk not in member_ids:
            raise DomainError(_(NOT_A_MEMBER).format(user=user), field=field)


def _check_processes(project: Project, processes, *, field: str = "processes") -> None:
    if any(p.project_id != project.pk for p in processes):
        raise DomainError(_(PROCESS_OF_OTHER_PROJECT), field=field)


def _touch(plan: SupportPlan) -> None:
    """Mark the plan changed (teams and escalation are part of it) without a new version."""
    SupportPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())


# --- support plan -----------------------------------------------------------------------


def support_plan_get_or_create(project: Project) -> SupportPlan:
    """The project's support plan, created empty the first time (no actor: nothing to decide)."""
    plan, _created = SupportPlan.objects.get_or_create(project=project)
    return plan


def plan_changed_since_approval(plan: SupportPlan) -> bool:
    """Whether the approved plan (or its teams or escalation) was edited after the decision."""
    signoff = plan.signoff
    if signoff is None or signoff.decision != Approval.Decision.APPROVED or signoff.decided_at is None:
        return False
    return plan.updated_at > signoff.decided_at


@audited
def support_plan_update(*, plan: SupportPlan, by, version: int | None, **changes) -> SupportPlan:
    require(by, plan.project, Capability.EDIT)
    start = changes.get("hypercare_start", plan.hypercare_start)
    end = changes.get("hypercare_end", plan.hypercare_end)
    if start and end and end <= start:
        raise DomainError(_(HYPERCARE_END_BEFORE_START), field="hypercare_end")
    return apply_update(plan, version=version, changes=changes, allowed=PLAN_FIELDS)


@audited
def support_plan_request_approval(*, plan: SupportPlan, by, approver=None) -> Approval:
    """Ask the sponsor (or any approver but the requester) to sign the plan off.

    Refused while a request waits, and for an approved plan that has not changed since."""
    require(by, plan.project, Capability.EDIT)
    with transaction.atomic():
        current = lock(plan)
        signoff = current.signoff
        if signoff is not None and signoff.decision == Approval.Decision.PENDING:
            raise DomainError(_(SIGNOFF_PENDING))
        if current.approved and not plan_changed_since_approval(current):
            raise DomainError(_(SIGNOFF_UNCHANGED))
        approval = project_services.approval_request(
            project=current.project, by=by, title=_("Support plan"), target=current, approver=approver
        )
        current.signoff = approval
        current.version += 1
        current.save(update_fields=["signoff", "version", "updated_at"])
    return approval


@audited
def support_plan_decide(*, plan: SupportPlan, by, decision: str, comment: str = "") -> Approval:
    """The approver's decision on the pending sign-off (the requester never decides it)."""
    require(by, plan.project, Capability.APPROVE)
    signoff = plan.signoff
    if signoff is None or signoff.decision != Approval.Decision.PENDING:
        raise DomainError(_(SIGNOFF_NOT_REQUESTED))
    return project_services.approval_decide(approval=signoff, by=by, decision=decision, comment=comment)


@audited
def team_create(*, plan: SupportPlan, by, name: str, working_hours: str = "", members=()) -> SupportTeam:
    require(by, plan.project, Capability.EDIT)
    members = list(members)
    _check_members(plan.project, members, field="members")
    team = SupportTeam(plan=plan, name=name, working_hours=working_hours)
    team.full_clean()
    team.save()
    team.members.set(members)
    _touch(plan)
    return team


@audited
def team_update(*, team: SupportTeam, by, **changes) -> SupportTeam:
    require(by, team.plan.project, Capability.EDIT)
    members = changes.pop("members", None)
    unknown = set(changes) - {"name", "working_hours"}
    if unknown:
        raise ValueError(f"not updatable here: {', '.join(sorted(unknown))}")
    if members is not None:
        members = list(members)
        _check_members(team.plan.project, members, field="members")
    with transaction.atomic():
        for name, value in changes.items():
            setattr(team, name, value)
        team.full_clean()
        team.save()
        if members is not None:
            team.members.set(members)
    _touch(team.plan)
    return team


@audited
def team_delete(*, team: SupportTeam, by) -> None:
    require(by, team.plan.project, Capability.EDIT)
    plan = team.plan
    team.delete()  # an escalation level naming it keeps its contact, without the team
    _touch(plan)


def _check_escalation(plan: SupportPlan, fields: dict, *, exclude_pk=None) -> None:
    team = fields.get("team")
    if team is not None and team.plan_id != plan.pk:
        raise DomainError(_(TEAM_OF_OTHER_PLAN), field="team")
    level = fields.get("level")
    if level and plan.escalations.filter(level=level).exclude(pk=exclude_pk).exists():
        raise DomainError(_(LEVEL_TAKEN).format(level=level), field="level")


@audited
def escalation_create(*, plan: SupportPlan, by, **fields) -> EscalationLevel:
    require(by, plan.project, Capability.EDIT)
    _check_escalation(plan, fields)
    row = EscalationLevel(plan=plan, **fields)
    row.full_clean()
    row.save()
    _touch(plan)
    return row


@audited
def escalation_update(*, escalation: EscalationLevel, by, **changes) -> EscalationLevel:
    require(by, escalation.plan.project, Capability.EDIT)
    unknown = set(changes) - ESCALATION_FIELDS
    if unknown:
        raise ValueError(f"not updatable here: {', '.join(sorted(unknown))}")
    _check_escalation(escalation.plan, changes, exclude_pk=escalation.pk)
    for name, value in changes.items():
        setattr(escalation, name, value)
    escalation.full_clean()
    escalation.save()
    _touch(escalation.plan)
    return escalation


@audited
def escalation_delete(*, escalation: EscalationLevel, by) -> None:
    require(by, escalation.plan.project, Capability.EDIT)
    plan = escalation.plan
    escalation.delete()
    _touch(plan)


# --- training ---------------------------------------------------------------------------


def _check_session(project: Project, fields: dict) -> None:
    roles = fields.get("audience_roles") or []
    for role in roles:
        if role not in Role.values:
            raise DomainError(_(UNKNOWN_ROLE).format(role=role), field="audience_roles")
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts and ends and ends <= starts:
        raise DomainError(_(ENDS_BEFORE_STARTS), field="ends_at")
    _check_processes(project, fields.get("processes") or [])
    _check_members(project, [fields.get("trainer")], field="trainer")


@audited
def session_create(*, project: Project, by, processes=(), **fields) -> TrainingSession:
    require(by, project, Capability.EDIT)
    processes = list(processes)
    fields["audience_roles"] = list(dict.fromkeys(fields.get("audience_roles") or []))
    _check_session(project, {**fields, "processes": processes})
    session = TrainingSession(project=project, **fields)
    session.full_clean()
    session.save()
    session.processes.set(processes)
    return session


@audited
def session_update(*, session: TrainingSession, by, version: int | None, **changes) -> TrainingSession:
    require(by, session.project, Capability.EDIT)
    if "audience_roles" in changes:
        changes["audience_roles"] = list(dict.fromkeys(changes["audience_roles"] or []))
    if "processes" in changes:
        changes["processes"] = list(changes["processes"])
    merged = {
        "starts_at": changes.get("starts_at", session.starts_at),
        "ends_at": changes.get("ends_at", session.ends_at),
        "audience_roles": changes.get("audience_roles"),
        "processes": changes.get("processes"),
        "trainer": changes.get("trainer"),
    }
    _check_session(session.project, merged)
    return apply_update(session, version=version, changes=changes, allowed=SESSION_FIELDS)


@audited
def session_delete(*, session: TrainingSession, by) -> None:
    require(by, session.project, Capability.EDIT)
    session.delete()


@audited
def invite(*, session: TrainingSession, by, users=None, roles=None) -> int:
    """Invite people to the session: the named users, and every member holding one of the
    named roles (the session's audience roles when neither is given). One row per person:
    someone already invited keeps their row and status. Returns how many were invited now."""
    require(by, session.project, Capability.EDIT)
    users = list(users or [])
    if roles is None and not users:
        roles = session.audience_roles
    for role in roles or []:
        if role not in Role.values:
            raise DomainError(_(UNKNOWN_ROLE).format(role=role), field="roles")
    _check_members(session.project, users, field="users")
    wanted = {u.pk for u in users}
    if roles:
        wanted |= set(
            Membership.objects.filter(project=session.project, role__in=roles, user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
    if not wanted and not roles:
        raise DomainError(_(NOTHING_TO_INVITE), field="users")
    with transaction.atomic():
        lock(session)  # two invitations at once must not both add the same person
        already = set(session.attendance.values_list("user_id", flat=True))
        new_ids = sorted(wanted - already)
        for user_id in new_ids:  # one save each: every invitation is in the audit trail
            Attendance.objects.create(session=session, user_id=user_id)
    return len(new_ids)


@audited
def attendance_record(*, session: TrainingSession, user, status: str, by) -> Attendance:
    """Record whether a person attended. An editor or the session's trainer records it; a
    member who was not invited is added (a walk-in)."""
    is_trainer = session.trainer_id == getattr(by, "pk", None) and can(by, session.project, Capability.VIEW)
    if not is_trainer and not can(by, session.project, Capability.EDIT):
        raise PermissionDenied(_(NOT_ALLOWED))
    if status not in Attendance.Status.values:
        raise DomainError(_(BAD_STATUS), field="status")
    _check_members(session.project, [user], field="user")
    with transaction.atomic():
        row, _created = Attendance.objects.select_for_update().get_or_create(session=session, user=user)
        if row.status != status:
            row.status = status
            row.full_clean()
            row.save()
    return row


# --- user guides ------------------------------------------------------------------------


@audited
def guide_create(*, project: Project, by, title: str, processes=()) -> UserGuide:
    require(by, project, Capability.EDIT)
    processes = list(processes)
    _check_processes(project, processes)
    guide = UserGuide(project=project, title=title)
    guide.full_clean()
    guide.save()
    guide.processes.set(processes)
    return guide


@audited
def guide_update(*, guide: UserGuide, by, version: int | None, **changes) -> UserGuide:
    require(by, guide.project, Capability.EDIT)
    if "processes" in changes:
        changes["processes"] = list(changes["processes"])
        _check_processes(guide.project, changes["processes"])
    return apply_update(guide, version=version, changes=changes, allowed=GUIDE_FIELDS)


@audited
def guide_delete(*, guide: UserGuide, by) -> None:
    require(by, guide.project, Capability.EDIT)
    files = [(stored.file.storage, stored.file.name) for stored in guide.versions.all() if stored.file]
    guide.delete()
    # The files go once the deletion is committed: a rolled-back delete keeps them.
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@audited
def guide_version_add(*, guide: UserGuide, by, file, note: str = "") -> UserGuideVersion:
    """A new file for the guide, numbered 1, 2, 3… A refused file stores nothing."""
    require(by, guide.project, Capability.EDIT)
    checked = validate_upload(file, types=GUIDE_TYPES, max_bytes=GUIDE_MAX_BYTES, field="file")
    with transaction.atomic():
        lock(guide)  # numbers are given one at a time
        number = (guide.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        row = UserGuideVersion(
            guide=guide,
            number=number,
            file=file,
            original_name=checked.name[:255],
            content_type=checked.content_type,
            size=checked.size,
            note=note,
            uploaded_by=by,
        )
        row.full_clean()
        row.save()
    return row


@audited
def guide_publish(*, guide: UserGuide, by, published: bool = True) -> UserGuide:
    """Publish the guide for the client (it needs a file first), or take it back."""
    require(by, guide.project, Capability.EDIT)
    if published and not guide.versions.exists():
        raise DomainError(_(NO_FILE_TO_PUBLISH), field="published")
    return apply_update(guide, version=None, changes={"published": published}, allowed={"published"})


def guide_unpublish(*, guide: UserGuide, by) -> UserGuide:
    return guide_publish(guide=guide, by=by, published=False)
