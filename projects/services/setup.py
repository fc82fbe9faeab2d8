"""Writes of the project itself: methodology templates, projects, memberships and phases."""

from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from erpimpl.errors import ConflictError, DomainError, blockers_of, row_name
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
    Capability,
    Role,
    may_create_project,
    require,
)
from projects.services.approvals import approval_request
from projects.updating import apply_update, lock

CANNOT_CREATE_PROJECT = "Only the consulting firm's consultants may create projects."
LAST_PM = "A project needs at least one project manager; add another before removing or changing this one."
PHASE_GATE_OPEN = N_("The phase gate sign-off is {decision}; it must be approved before the phase is completed.")
GATE_NOT_REQUESTED = N_(
    "The {phase} phase completes only through its gate: request the gate sign-off and have it approved first."
)
GATE_REJECTED = N_(
    "The {phase} gate sign-off was rejected; request it again and have it approved before completing the phase."
)
GATE_ALREADY_APPROVED = N_("The {phase} gate is already approved; there is nothing left to sign off.")
GATE_ALREADY_PENDING = N_(
    "A {phase} gate sign-off is already waiting for a decision; it must be decided before another is requested."
)
TEMPLATE_NAME_TAKEN = "A template named {name!r} already exists."
PROJECT_TOO_SHORT = N_(
    "The planned go-live must be at least {days} days after the planned start: "
    "each phase before go-live needs at least one day."
)
PROJECT_DELETE_BLOCKED = N_(
    "Project {code} cannot be deleted: {blockers} still refer to its content. Remove those references first."
)


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


#: The shortest plan: one day for each phase before go-live (``_phase_windows`` needs it).
MIN_PROJECT_DAYS = len(methodology.PHASE_SHARE)


def _date_errors(planned_start: date, planned_golive: date) -> dict[str, list[str]]:
    """What is wrong with a new project's dates, on ``planned_golive`` (the API's field, the form's)."""
    if planned_golive < planned_start:
        (rule,) = (c for c in Project._meta.constraints if c.name == "projects_project_golive_after_start")
        return {"planned_golive": [str(rule.violation_error_message)]}
    if (planned_golive - planned_start).days < MIN_PROJECT_DAYS:
        return {"planned_golive": [_(PROJECT_TOO_SHORT).format(days=MIN_PROJECT_DAYS)]}
    return {}


def _phase_windows(start: date, golive: date) -> dict[str, tuple[date, date]]:
    """Each phase's planned window: shares of the time to go-live, then support after it.

    Needs at least ``MIN_PROJECT_DAYS`` between start and go-live (``project_create`` checks
    it), so that no phase ends before it starts.
    """
    total = max((golive - start).days, MIN_PROJECT_DAYS)
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
            start = min(phase.planned_start + timedelta(days=int(item.start_offset_days * scale)), phase.planned_end)
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


#: Set-up steps other apps add to a new project (e.g. go-live's readiness criteria), run in
#: ``project_create``'s transaction: the ground floor calls them without importing the apps.
_SETUP_STEPS: list[Callable[[Project], object]] = []


def project_setup_register(step: Callable[[Project], object]) -> None:
    if step not in _SETUP_STEPS:
        _SETUP_STEPS.append(step)


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
        errors = _date_errors(planned_start, planned_golive)
        try:  # every field's error at once; the dates' own rule is reported on its field above
            project.full_clean(validate_constraints=not errors)
        except ValidationError as exc:
            errors = {**exc.message_dict, **errors}
        if errors:
            raise ValidationError(errors)
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
        for step in _SETUP_STEPS:
            step(project)
    return project


PROJECT_FIELDS = {"name", "client_name", "description", "status", "planned_start", "planned_golive", "actual_golive"}


@audited
def project_update(*, project: Project, by, version: int, **changes) -> Project:
    require(by, project, Capability.MANAGE)
    return apply_update(project, version=version, changes=changes, allowed=PROJECT_FIELDS)


def _blockers_outside(exc: ProtectedError | RestrictedError) -> str:
    """The rows (of other projects) that block deleting a project, each with its project."""
    codes = dict(Project.objects.values_list("pk", "code"))

    def name(row) -> str:
        code = codes.get(getattr(row, "owning_project_id", None))
        return _("%(row)s of project %(code)s") % {"row": row_name(row), "code": code} if code else row_name(row)

    return blockers_of(exc, name=name)


@audited
def project_delete(*, project: Project, by) -> None:
    """Delete the project with everything it holds, in every app (the PM, after confirming).

    References between rows of the project (a release's environments, a run's test cases,
    a sign-off's approval) are ``RESTRICT``: they block deleting the row alone, never the
    project. A row of another project referring to its content blocks it: ``ConflictError``
    (409) naming that row, and nothing is deleted.
    """
    require(by, project, Capability.MANAGE)
    try:
        with transaction.atomic():
            Project.objects.select_for_update().get(pk=project.pk)
            project.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ConflictError(
            _(PROJECT_DELETE_BLOCKED).format(code=project.code, blockers=_blockers_outside(exc))
        ) from exc


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
def membership_update(*, membership: Membership, by, version: int, role: str | None = None) -> Membership:
    """Change a member's role; without a role, nothing changes (the row comes back as it is)."""
    require(by, membership.project, Capability.MANAGE)
    changes = {} if role is None else {"role": role}
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=membership.project_id)
        if membership.role == Role.PM and role not in (None, Role.PM) and _pm_count(membership.project) <= 1:
            raise DomainError(LAST_PM, field="role")
        updated = apply_update(membership, version=version, changes=changes, allowed={"role"})
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


def _check_gate_approved(phase: Phase) -> None:
    """A phase completes only through its approved gate; else the refusal says what to do."""
    gate, kind = phase.gate_approval, phase.get_kind_display()
    if gate is None:
        raise DomainError(_(GATE_NOT_REQUESTED).format(phase=kind), field="status")
    if gate.decision == Approval.Decision.REJECTED:
        raise DomainError(_(GATE_REJECTED).format(phase=kind), field="status")
    if gate.decision != Approval.Decision.APPROVED:
        raise DomainError(_(PHASE_GATE_OPEN).format(decision=gate.get_decision_display().lower()), field="status")


def gate_request_refusal(phase: Phase) -> str | None:
    """Why a gate sign-off cannot be requested for the phase now (``None``: it can).

    One gate at a time: not while one waits for a decision, never once one is approved; a
    rejected gate may be requested again (the rejected request stays decided).
    """
    gate, kind = phase.gate_approval, phase.get_kind_display()
    if gate is not None and gate.decision == Approval.Decision.APPROVED:
        return _(GATE_ALREADY_APPROVED).format(phase=kind)
    if gate is not None and gate.decision == Approval.Decision.PENDING:
        return _(GATE_ALREADY_PENDING).format(phase=kind)
    return None


@audited
def phase_update(*, phase: Phase, by, version: int, **changes) -> Phase:
    """Edit a phase. Starting stamps ``actual_start``; completing needs the approved gate."""
    require(by, phase.project, Capability.EDIT)
    with transaction.atomic():
        current = lock(phase)
        new_status = changes.get("status")
        today = timezone.localdate()
        if new_status == Phase.Status.IN_PROGRESS and not (changes.get("actual_start") or current.actual_start):
            changes["actual_start"] = today
        if new_status == Phase.Status.COMPLETED and current.status != Phase.Status.COMPLETED:
            _check_gate_approved(current)
            changes.setdefault("actual_end", current.actual_end or today)
            if not (changes.get("actual_start") or current.actual_start):
                changes["actual_start"] = today
        return apply_update(current, version=version, changes=changes, allowed=PHASE_FIELDS)


@audited
def phase_request_gate(*, phase: Phase, by, approver=None, target=None, title: str = "") -> Approval:
    """Ask for the phase-gate sign-off: the one door every gate request goes through.

    Refused while a gate waits for a decision or once it is approved
    (``gate_request_refusal``); after a rejection a new request replaces the rejected one.
    ``target`` is what the approval is about (the phase itself unless an app signs off its
    own row for this phase, e.g. the discovery sign-off), ``title`` its title.
    """
    require(by, phase.project, Capability.EDIT)
    with transaction.atomic():
        locked = lock(phase)
        refusal = gate_request_refusal(locked)
        if refusal:
            raise DomainError(refusal)
        approval = approval_request(
            project=locked.project,
            by=by,
            target=locked if target is None else target,
            approver=approver,
            title=title or locked.signoff_title(),
        )
        locked.gate_approval = approval
        locked.version += 1
        locked.save(update_fields=["gate_approval", "version", "updated_at"])
    return approval
