"""Every write of the projects app. Plain functions taking the acting user as ``by``."""

from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from erpimpl.errors import DomainError
from projects import methodology
from projects.audit import audited
from projects.models import (
    PHASE_ORDER,
    Approval,
    Membership,
    MethodologyTemplate,
    Milestone,
    Phase,
    PhaseKind,
    Project,
    Task,
    TemplateItem,
)
from projects.roles import (
    SELF_APPROVAL,
    Capability,
    Role,
    can,
    decide_refusal,
    is_member,
    may_create_project,
    members_with,
    require,
)
from projects.updating import apply_update, lock

CANNOT_CREATE_PROJECT = "Only the consulting firm's consultants may create projects."
LAST_PM = "A project needs at least one project manager; add another before removing or changing this one."
NOT_A_MEMBER = "{user} is not a member of this project."
APPROVER_CANNOT_APPROVE = "{user} cannot approve sign-offs on this project (only the PM and the sponsor can)."
ALREADY_DECIDED = "This sign-off was already decided ({decision})."
DEPENDENCY_OTHER_PROJECT = "A task can only depend on tasks of the same project."
DEPENDENCY_CYCLE = "This dependency would create a cycle: {title} already depends on this task."
PHASE_GATE_OPEN = "The phase gate sign-off is {decision}; it must be approved before the phase is completed."
TEMPLATE_NAME_TAKEN = "A template named {name!r} already exists."


# --- templates --------------------------------------------------------------------------


def template_get_builtin() -> MethodologyTemplate:
    """The built-in six-phase template, created from ``methodology`` on first use."""
    template, created = MethodologyTemplate.objects.get_or_create(
        name=methodology.BUILTIN_TEMPLATE_NAME,
        defaults={"is_builtin": True, "description": "The six phases of an ERP implementation."},
    )
    if created:
        TemplateItem.objects.bulk_create(
            TemplateItem(
                template=template,
                phase_kind=phase,
                kind=kind,
                title=title,
                order=index,
                start_offset_days=offset,
                duration_days=duration,
            )
            for index, (phase, kind, title, offset, duration) in enumerate(methodology.BUILTIN_ITEMS)
        )
    return template


@audited
def template_create_from_project(*, project: Project, by, name: str, description: str = "") -> MethodologyTemplate:
    """Save a project's current plan (tasks per phase, relative dates) as a new template."""
    require(by, project, Capability.EDIT)
    if MethodologyTemplate.objects.filter(name=name).exists():
        raise DomainError(TEMPLATE_NAME_TAKEN.format(name=name), field="name")
    with transaction.atomic():
        template = MethodologyTemplate(name=name, description=description, created_by=by)
        template.full_clean()
        template.save()
        items = []
        for index, task in enumerate(project.tasks.select_related("phase").order_by("phase__order", "order", "pk")):
            phase_start = task.phase.planned_start or project.planned_start
            start = task.start or phase_start
            items.append(
                TemplateItem(
                    template=template,
                    phase_kind=task.phase.kind,
                    order=index,
                    title=task.title,
                    kind=TemplateItem.Kind.DELIVERABLE if task.is_deliverable else TemplateItem.Kind.ACTIVITY,
                    start_offset_days=max((start - phase_start).days, 0),
                    duration_days=max(((task.due or start) - start).days, 1),
                )
            )
        TemplateItem.objects.bulk_create(items)
    return template


# --- projects ---------------------------------------------------------------------------


def _phase_windows(start: date, golive: date) -> dict[str, tuple[date, date]]:
    total = max((golive - start).days, len(methodology.PHASE_SHARE))
    windows, cursor = {}, start
    for kind, share in methodology.PHASE_SHARE.items():
        length = max(int(round(total * share)), 1)
        end = cursor + timedelta(days=length - 1)
        windows[kind] = (cursor, end)
        cursor = end + timedelta(days=1)
    windows[PhaseKind.DEPLOYMENT] = (windows[PhaseKind.DEPLOYMENT][0], golive)
    windows[PhaseKind.SUPPORT] = (golive + timedelta(days=1), golive + timedelta(days=methodology.SUPPORT_DAYS))
    return windows


def _plan_from_template(project: Project, template: MethodologyTemplate, phases: dict[str, Phase]):
    items_by_phase: dict[str, list[TemplateItem]] = {}
    for item in template.items.order_by("order"):
        items_by_phase.setdefault(item.phase_kind, []).append(item)
    tasks = []
    for kind, items in items_by_phase.items():
        phase = phases[kind]
        window_days = (phase.planned_end - phase.planned_start).days + 1
        nominal = max(i.start_offset_days + i.duration_days for i in items) or 1
        scale = window_days / nominal
        for item in items:
            start = phase.planned_start + timedelta(days=int(item.start_offset_days * scale))
            due = min(start + timedelta(days=max(int(item.duration_days * scale) - 1, 0)), phase.planned_end)
            tasks.append(
                Task(
                    project=project,
                    phase=phase,
                    title=_(item.title),
                    start=start,
                    due=due,
                    order=item.order,
                    is_deliverable=item.kind == TemplateItem.Kind.DELIVERABLE,
                )
            )
    Task.objects.bulk_create(tasks)


@audited
def project_create(
    *,
    by,
    code: str,
    name: str,
    client_name: str,
    planned_start: date,
    planned_golive: date,
    description: str = "",
    template: MethodologyTemplate | None = None,
) -> Project:
    """Create a project with its six phases, its plan from the template and one milestone per phase.

    The creator becomes the project's PM. Only firm consultants (the ``add_project``
    permission, or staff) may create projects.
    """
    if not may_create_project(by):
        raise PermissionDenied(CANNOT_CREATE_PROJECT)
    template = template or template_get_builtin()
    with transaction.atomic():
        project = Project(
            code=code,
            name=name,
            client_name=client_name,
            description=description,
            planned_start=planned_start,
            planned_golive=planned_golive,
            template=template,
            created_by=by,
        )
        project.full_clean()
        project.save()
        windows = _phase_windows(planned_start, planned_golive)
        phases = {
            kind: Phase.objects.create(
                project=project,
                kind=kind,
                order=PHASE_ORDER[kind],
                planned_start=windows[kind][0],
                planned_end=windows[kind][1],
            )
            for kind in PhaseKind.values
        }
        _plan_from_template(project, template, phases)
        Milestone.objects.bulk_create(
            Milestone(
                project=project,
                phase=phase,
                title=_("%(phase)s complete") % {"phase": phase.get_kind_display()},
                due_date=phase.planned_end,
            )
            for phase in phases.values()
            if phase.kind != PhaseKind.DEPLOYMENT
        )
        Milestone.objects.create(
            project=project, phase=phases[PhaseKind.DEPLOYMENT], title=_("Go-live"), due_date=planned_golive
        )
        Membership.objects.create(project=project, user=by, role=Role.PM)
    return project


PROJECT_FIELDS = {"name", "client_name", "description", "status", "planned_start", "planned_golive", "actual_golive"}


@audited
def project_update(*, project: Project, by, version: int, **changes) -> Project:
    require(by, project, Capability.MANAGE)
    return apply_update(project, version=version, changes=changes, allowed=PROJECT_FIELDS)


@audited
def project_delete(*, project: Project, by) -> None:
    require(by, project, Capability.MANAGE)
    project.delete()


# --- memberships ------------------------------------------------------------------------


def _pm_count(project: Project) -> int:
    return Membership.objects.filter(project=project, role=Role.PM).count()


@audited
def membership_create(*, project: Project, by, user, role: str) -> Membership:
    require(by, project, Capability.MANAGE)
    membership = Membership(project=project, user=user, role=role)
    membership.full_clean()
    membership.save()
    return membership


@audited
def membership_update(*, membership: Membership, by, version: int, role: str) -> Membership:
    require(by, membership.project, Capability.MANAGE)
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=membership.project_id)
        if membership.role == Role.PM and role != Role.PM and _pm_count(membership.project) <= 1:
            raise DomainError(LAST_PM, field="role")
        updated = apply_update(membership, version=version, changes={"role": role}, allowed={"role"})
    return updated


@audited
def membership_delete(*, membership: Membership, by) -> None:
    require(by, membership.project, Capability.MANAGE)
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=membership.project_id)
        if membership.role == Role.PM and _pm_count(membership.project) <= 1:
            raise DomainError(LAST_PM)
        membership.delete()


# --- phases -----------------------------------------------------------------------------

PHASE_FIELDS = {"status", "planned_start", "planned_end", "actual_start", "actual_end"}


@audited
def phase_update(*, phase: Phase, by, version: int, **changes) -> Phase:
    """Edit a phase. Starting stamps ``actual_start``; completing needs an approved gate, if any."""
    require(by, phase.project, Capability.EDIT)
    new_status = changes.get("status")
    today = timezone.localdate()
    if new_status == Phase.Status.IN_PROGRESS and not (changes.get("actual_start") or phase.actual_start):
        changes["actual_start"] = today
    if new_status == Phase.Status.COMPLETED:
        gate = phase.gate_approval
        if gate is not None and gate.decision != Approval.Decision.APPROVED:
            raise DomainError(PHASE_GATE_OPEN.format(decision=gate.get_decision_display().lower()), field="status")
        changes.setdefault("actual_end", phase.actual_end or today)
        if not (changes.get("actual_start") or phase.actual_start):
            changes["actual_start"] = today
    return apply_update(phase, version=version, changes=changes, allowed=PHASE_FIELDS)


@audited
def phase_request_gate(*, phase: Phase, by, approver=None) -> Approval:
    """Ask for the phase-gate sign-off (replacing an earlier rejected one)."""
    with transaction.atomic():
        approval = approval_request(
            project=phase.project,
            by=by,
            target=phase,
            approver=approver,
            title=_("Phase gate: %(phase)s") % {"phase": phase.get_kind_display()},
        )
        locked = lock(phase)
        locked.gate_approval = approval
        locked.version += 1
        locked.save(update_fields=["gate_approval", "version", "updated_at"])
    return approval


# --- milestones and tasks ---------------------------------------------------------------

MILESTONE_FIELDS = {"title", "phase", "due_date", "achieved_on", "internal"}
TASK_FIELDS = {
    "title",
    "description",
    "phase",
    "owner",
    "start",
    "due",
    "progress",
    "status",
    "depends_on",
    "is_deliverable",
    "order",
    "internal",
}


def _check_same_project(project: Project, *, phase=None, owner=None):
    if phase is not None and phase.project_id != project.pk:
        raise DomainError(_("This phase belongs to another project."), field="phase")
    if owner is not None and not is_member(owner, project):
        raise DomainError(NOT_A_MEMBER.format(user=owner), field="owner")


@audited
def milestone_create(*, project: Project, by, **fields) -> Milestone:
    require(by, project, Capability.EDIT)
    _check_same_project(project, phase=fields.get("phase"))
    milestone = Milestone(project=project, **fields)
    milestone.full_clean()
    milestone.save()
    return milestone


@audited
def milestone_update(*, milestone: Milestone, by, version: int, **changes) -> Milestone:
    require(by, milestone.project, Capability.EDIT)
    _check_same_project(milestone.project, phase=changes.get("phase"))
    return apply_update(milestone, version=version, changes=changes, allowed=MILESTONE_FIELDS)


@audited
def milestone_delete(*, milestone: Milestone, by) -> None:
    require(by, milestone.project, Capability.EDIT)
    milestone.delete()


def _check_dependencies(task_pk: int | None, project: Project, depends_on) -> None:
    for other in depends_on:
        if other.project_id != project.pk:
            raise DomainError(DEPENDENCY_OTHER_PROJECT, field="depends_on")
    if task_pk is None:
        return
    # Walk upstream from each new dependency; meeting this task again means a cycle.
    seen, frontier = set(), [(o.pk, o.title) for o in depends_on]
    while frontier:
        pk, title = frontier.pop()
        if pk == task_pk:
            raise DomainError(DEPENDENCY_CYCLE.format(title=title), field="depends_on")
        if pk in seen:
            continue
        seen.add(pk)
        frontier.extend(
            Task.depends_on.through.objects.filter(from_task_id=pk).values_list("to_task_id", "to_task__title")
        )


def _normalise_task_status(changes: dict) -> None:
    if changes.get("status") == Task.Status.DONE:
        changes["progress"] = 100
    elif changes.get("progress") == 100 and "status" not in changes:
        changes["status"] = Task.Status.DONE


@audited
def task_create(*, project: Project, by, depends_on=(), **fields) -> Task:
    require(by, project, Capability.EDIT)
    _check_same_project(project, phase=fields.get("phase"), owner=fields.get("owner"))
    _check_dependencies(None, project, depends_on)
    _normalise_task_status(fields)
    with transaction.atomic():
        task = Task(project=project, **fields)
        task.full_clean()
        task.save()
        task.depends_on.set(depends_on)
    return task


@audited
def task_update(*, task: Task, by, version: int, **changes) -> Task:
    require(by, task.project, Capability.EDIT)
    _check_same_project(task.project, phase=changes.get("phase"), owner=changes.get("owner"))
    if "depends_on" in changes:
        _check_dependencies(task.pk, task.project, changes["depends_on"])
    _normalise_task_status(changes)
    return apply_update(task, version=version, changes=changes, allowed=TASK_FIELDS)


@audited
def task_delete(*, task: Task, by) -> None:
    require(by, task.project, Capability.EDIT)
    task.delete()


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
        raise DomainError(SELF_APPROVAL, field="approver")
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


def approval_recipients(approval: Approval) -> list:
    """The named approver, or every member who may approve on the project."""
    if approval.approver_id:
        return [approval.approver]
    return list(members_with(approval.project_id, Capability.APPROVE).exclude(pk=approval.requested_by_id))


def approval_notify(*, approval_id: int) -> bool:
    """E-mail the approvers that a sign-off waits for them. Runs once per approval.

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
        recipients = [u.email for u in approval_recipients(approval) if u.email]
        if recipients:
            send_mail(
                subject=_("[%(code)s] Sign-off waiting for you: %(title)s")
                % {"code": approval.project.code, "title": approval.title},
                message=_("%(who)s asks for your decision on “%(title)s” in project %(project)s.")
                % {"who": approval.requested_by, "title": approval.title, "project": approval.project},
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


# --- API tokens (stored hashed by knox) ----------------------------------------------


def token_list(*, user):
    return AuthToken.objects.filter(user=user).order_by("-created")


def token_create(*, user, expiry_days: int | None = None) -> tuple[AuthToken, str]:
    ttl = timedelta(days=expiry_days) if expiry_days else settings.REST_KNOX["TOKEN_TTL"]
    return AuthToken.objects.create(user=user, expiry=ttl)


def token_revoke(*, user, token_key: str) -> int:
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted
