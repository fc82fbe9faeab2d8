"""The project itself: people in every role, the plan (phases, tasks, milestones) and gates.

The project is created by ``projects.services.project_create`` (six phases, the template's
plan, one milestone per phase, the creator as PM); everything else is bulk-inserted. The
project is in its testing phase: discovery, design and development completed through
approved gates, testing running, deployment and support ahead.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from projects import services
from projects.bigproject import words
from projects.bigproject.base import Context, spread, weighted
from projects.models import Approval, Membership, Milestone, Phase, PhaseKind, Project, Task
from projects.roles import Role

#: Members per role at scale 1 (team sizes grow with the square root of the scale).
TEAM = {Role.PM: 2, Role.CONSULTANT: 14, Role.SPONSOR: 2, Role.KEY_USER: 24, Role.VIEWER: 12}
FIRM = (Role.PM, Role.CONSULTANT)
CONSULTANTS_GROUP = "Consultants"  # the group seed_demo gives the add_project permission
#: Days from the planned start to go-live; "today" is day ``TODAY_DAY`` (in the testing phase).
PROJECT_DAYS = 390
TODAY_DAY = 330


def username(project_code: str, role: str, index: int) -> str:
    return f"{project_code.lower()}.{role}.{index}"


def user_prefix(project_code: str) -> str:
    return f"{project_code.lower()}."


def email_domain(project_code: str) -> str:
    """The generated users' e-mail domain: with the prefix, it tells them from real accounts."""
    return f"@{project_code.lower()}.bench.invalid"


def generated_users(project_code: str):
    return get_user_model().objects.filter(
        username__startswith=user_prefix(project_code), email__endswith=email_domain(project_code)
    )


def create_project(*, code: str, today, password: str | None, scale: float, seed: int) -> tuple[Project, dict]:
    """The users of every role, then the project (through the service) and its members."""
    user_model = get_user_model()
    password_hash = make_password(password) if password else make_password(None)
    consultants, _created = Group.objects.get_or_create(name=CONSULTANTS_GROUP)
    consultants.permissions.add(Permission.objects.get(codename="add_project", content_type__app_label="projects"))
    sizes = {role: max(1, int(round(count * scale**0.5))) for role, count in TEAM.items()}
    rng = random.Random(f"{seed}:people")
    rows = []
    for role, count in sizes.items():
        for index in range(1, count + 1):
            rows.append(
                user_model(
                    username=username(code, role, index),
                    first_name=rng.choice(words.FIRST_NAMES),
                    last_name=f"{rng.choice(words.LAST_NAMES)} {rng.choice(['Văn', 'Thị', 'Minh', 'Quốc'])}",
                    email=f"{role}.{index}{email_domain(code)}",
                    password=password_hash,
                )
            )
    user_model.objects.bulk_create(rows, batch_size=1000)
    created = {u.username: u for u in generated_users(code)}
    users = {role: [created[username(code, role, i)] for i in range(1, n + 1)] for role, n in sizes.items()}
    for role in FIRM:
        consultants.user_set.add(*users[role])
    pm = users[Role.PM][0]
    project = services.project_create(
        by=pm,
        code=code,
        name=f"ERP rollout at scale — {code}",
        client_name="Công ty CP Thực phẩm Sao Mai (benchmark)",
        planned_start=today - timedelta(days=TODAY_DAY),
        planned_golive=today - timedelta(days=TODAY_DAY) + timedelta(days=PROJECT_DAYS),
        description="A generated project of realistic size for the page and API benchmark (make_big_project).",
    )
    Project.objects.filter(pk=project.pk).update(status=Project.Status.ACTIVE)
    project.refresh_from_db()
    Membership.objects.bulk_create(
        Membership(project=project, user=user, role=role)
        for role, members in users.items()
        for user in members
        if user.pk != pm.pk
    )
    return project, users


def approval(ctx: Context, rng, *, title, target, decision, when, requested_by=None, approver=None) -> Approval:
    """An unsaved sign-off on ``target`` (a saved row), decided ``when`` unless pending."""
    requested_by = requested_by or ctx.users[Role.PM][0]
    decided = decision != Approval.Decision.PENDING
    decider = approver or ctx.pick(rng, Role.SPONSOR, Role.PM)
    if decider.pk == requested_by.pk:
        decider = next(u for u in ctx.users[Role.SPONSOR] + ctx.users[Role.PM] if u.pk != requested_by.pk)
    return Approval(
        project=ctx.project,
        title=title,
        content_type=ContentType.objects.get_for_model(type(target)),
        object_id=target.pk,
        requested_by=requested_by,
        approver=approver,
        decision=decision,
        comment="" if not decided else rng.choice(["", "OK", "Đồng ý", "Approved with the agreed changes."]),
        decided_by=decider if decided else None,
        decided_at=when + timedelta(days=rng.randint(1, 4)) if decided else None,
        notified_at=when,
        created_at=when,
    )


def generate(ctx: Context) -> None:
    rng = ctx.rng("plan")
    project = ctx.project
    phases = {p.kind: p for p in project.phases.all()}
    ctx.shared["phases"] = phases
    done = (PhaseKind.DISCOVERY, PhaseKind.DESIGN, PhaseKind.DEVELOPMENT)
    firm = ctx.users[Role.CONSULTANT] + ctx.users[Role.PM]

    # Phases: three completed (their gates are approved below or by the discovery sign-off).
    for kind, phase in phases.items():
        if kind in done:
            phase.status, phase.actual_start, phase.actual_end = (
                Phase.Status.COMPLETED,
                phase.planned_start,
                phase.planned_end,
            )
        elif kind == PhaseKind.TESTING:
            phase.status, phase.actual_start = Phase.Status.IN_PROGRESS, phase.planned_start
    gates = []
    for kind in (PhaseKind.DESIGN, PhaseKind.DEVELOPMENT):
        when = ctx.moment(rng, phases[kind].planned_end - timedelta(days=5), phases[kind].planned_end)
        gates.append(
            (
                kind,
                approval(
                    ctx,
                    rng,
                    title=f"Phase gate: {phases[kind].get_kind_display()}",
                    target=phases[kind],
                    decision=Approval.Decision.APPROVED,
                    when=when,
                ),
            )
        )
    ctx.bulk(Approval, [a for _k, a in gates], label="sign-offs (approvals)")
    for kind, gate in gates:
        phases[kind].gate_approval = gate
    Phase.objects.bulk_update(phases.values(), ["status", "actual_start", "actual_end", "gate_approval"])

    # The template's tasks take the state of their phase; then the team's own tasks.
    template_tasks = list(project.tasks.select_related("phase"))
    for task in template_tasks:
        _task_state(rng, task, task.phase, firm, ctx.today)
    Task.objects.bulk_update(template_tasks, ["status", "progress", "owner"])
    extra = []
    count = ctx.n(600)
    kinds = spread(
        rng,
        count,
        {
            PhaseKind.DISCOVERY: 1,
            PhaseKind.DESIGN: 2,
            PhaseKind.DEVELOPMENT: 3,
            PhaseKind.TESTING: 3,
            PhaseKind.DEPLOYMENT: 1.5,
            PhaseKind.SUPPORT: 0.5,
        },
    )
    for index, kind in enumerate(kinds):
        phase = phases[kind]
        length = (phase.planned_end - phase.planned_start).days
        start = phase.planned_start + timedelta(days=rng.randint(0, max(length - 1, 0)))
        task = Task(
            project=project,
            phase=phase,
            title=words.title(rng, rng.choice(list(words.AREA_OBJECTS))),
            description=rng.choice(["", "See the RAID log.", "Chi tiết trong biên bản họp."]),
            start=start,
            due=min(start + timedelta(days=rng.randint(1, 15)), phase.planned_end),
            order=100 + index,
            is_deliverable=rng.random() < 0.08,
            internal=rng.random() < 0.05,
            created_at=ctx.moment(rng, ctx.start, phase.planned_start),
        )
        _task_state(rng, task, phase, firm + ctx.users[Role.KEY_USER], ctx.today)
        extra.append(task)
    ctx.bulk(Task, extra, label="plan tasks")
    ctx.counts["plan tasks"] += len(template_tasks)
    # Dependencies: most tasks wait for an earlier task of the same or an earlier phase.
    ordered = sorted(template_tasks + extra, key=lambda t: (t.start or ctx.start, t.pk))
    pairs = []
    for position, task in enumerate(ordered[1:], start=1):
        if rng.random() < 0.7:
            pairs.append((task.pk, ordered[rng.randint(max(0, position - 30), position - 1)].pk))
    ctx.link(Task.depends_on, pairs, label="task dependencies")

    milestones = []
    for index in range(ctx.n(24)):
        phase = phases[weighted(rng, {k: 1 for k in PhaseKind.values})]
        due = phase.planned_start + timedelta(
            days=rng.randint(0, max((phase.planned_end - phase.planned_start).days, 0))
        )
        milestones.append(
            Milestone(
                project=project,
                phase=phase,
                title=f"{rng.choice(['Sign-off', 'Checkpoint', 'Mốc', 'Steering committee'])} {index + 1}",
                due_date=due,
                achieved_on=due if due < ctx.today and rng.random() < 0.85 else None,
                internal=rng.random() < 0.1,
            )
        )
    ctx.bulk(Milestone, milestones, label="milestones")
    Milestone.objects.filter(project=project, phase__kind__in=done, achieved_on=None, due_date__lt=ctx.today).update(
        achieved_on=ctx.today - timedelta(days=1)
    )
    ctx.counts["milestones"] = Milestone.objects.filter(project=project).count()
    ctx.counts["members"] = Membership.objects.filter(project=project).count()


def _task_state(rng, task: Task, phase: Phase, owners, today) -> None:
    task.owner = rng.choice(owners)
    if phase.status == Phase.Status.COMPLETED:
        task.status, task.progress = Task.Status.DONE, 100
    elif phase.status == Phase.Status.IN_PROGRESS:
        task.status = weighted(
            rng, {Task.Status.DONE: 4, Task.Status.IN_PROGRESS: 4, Task.Status.BLOCKED: 1, Task.Status.TODO: 2}
        )
        task.progress = {Task.Status.DONE: 100, Task.Status.TODO: 0}.get(task.status, rng.choice([10, 30, 50, 70, 90]))
    else:
        task.status, task.progress = Task.Status.TODO, 0
