"""Demo data of the projects app: users in every role and a project in flight."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from projects import services
from projects.models import Milestone, Phase, Project, Task
from projects.roles import Role

DEMO_PASSWORD = "demo1234"
DEMO_CODE = "DEMO-ERP"
CONSULTANTS_GROUP = "Consultants"

#: username → (role, first name, last name, firm member?)
DEMO_USERS = {
    "pm": (Role.PM, "Lan", "Nguyễn Thị", True),
    "consultant": (Role.CONSULTANT, "Minh", "Trần Quang", True),
    "sponsor": (Role.SPONSOR, "Hùng", "Lê Văn", False),
    "keyuser": (Role.KEY_USER, "Mai", "Phạm Thị", False),
    "viewer": (Role.VIEWER, "Đức", "Hoàng Minh", False),
}


def seed_users(*, password: str, consultants) -> dict[str, object]:
    user_model = get_user_model()
    users = {}
    for username, (role, first, last, firm) in DEMO_USERS.items():
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.local"}
        )
        if created:
            user.set_password(password)
            user.save()
        if firm:
            user.groups.add(consultants)
        users[role] = user
    return users


def seed_project(users) -> Project:
    project = Project.objects.filter(code=DEMO_CODE).first()
    if project is None:
        today = timezone.localdate()
        project = services.project_create(
            by=users[Role.PM],
            code=DEMO_CODE,
            name="Triển khai ERP — Công ty CP Thực phẩm Sao Mai",
            client_name="Công ty CP Thực phẩm Sao Mai",
            planned_start=today - timedelta(days=90),
            planned_golive=today + timedelta(days=120),
            description="ERP rollout for finance, procurement, sales and inventory across two plants.",
        )
        project.status = Project.Status.ACTIVE
        project.save(update_fields=["status"])
        _advance_plan(project, today, users)
    for role, user in users.items():
        if not project.memberships.filter(user=user).exists():
            services.membership_create(project=project, by=users[Role.PM], user=user, role=role)
    if not project.approvals.exists():
        design = project.phases.get(kind="design")
        services.phase_request_gate(phase=design, by=users[Role.PM], approver=None)
    return project


def _advance_plan(project: Project, today, users) -> None:
    """Make the demo look mid-flight: discovery finished (it completes once its sign-off, the
    phase gate, is approved: ``phases/discovery/demo.py``), design under way."""
    Phase.objects.filter(project=project, kind="discovery").update(
        status=Phase.Status.IN_PROGRESS, actual_start=project.planned_start
    )
    Phase.objects.filter(project=project, kind="design").update(
        status=Phase.Status.IN_PROGRESS, actual_start=today - timedelta(days=55)
    )
    Task.objects.filter(project=project, phase__kind="discovery").update(progress=100, status=Task.Status.DONE)
    for index, task in enumerate(Task.objects.filter(project=project, phase__kind="design").order_by("order")):
        task.progress = [80, 60, 40, 0][index % 4]
        task.status = Task.Status.IN_PROGRESS if task.progress else Task.Status.TODO
        task.owner = users[Role.CONSULTANT]
        task.save()
    Task.objects.create(
        project=project,
        phase=project.phases.get(kind="design"),
        title="Nội bộ: ước lượng công sức thiết kế",
        internal=True,
        start=today,
        due=today + timedelta(days=7),
        owner=users[Role.PM],
    )
    Task.objects.create(
        project=project,
        phase=project.phases.get(kind="design"),
        title="Review to-be purchasing process with key users",
        start=today,
        due=today + timedelta(days=5),
        owner=users[Role.KEY_USER],
    )
    Milestone.objects.filter(project=project, phase__kind="discovery").update(
        achieved_on=project.planned_start + timedelta(days=30)
    )
