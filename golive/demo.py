"""Demo content of the go-live app: a readiness history with failing criteria (three checks over
two weeks, run here as a worker runs them), a cutover runbook with a completed rehearsal and a
live run waiting for its weekend, the support plan waiting for the sponsor, training sessions
with attendance and two user guides.

Idempotent: nothing is added once the project has a readiness run. Every write goes through the
services; only the timestamps of the past checks and of the rehearsal are moved back afterwards.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from golive import services
from golive.models import CutoverRun, CutoverRunTask, ReadinessRun
from golive.services import people
from projects.roles import Role

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

#: (stream, title, minutes, type, predecessors by index, critical, rollback)
RUNBOOK = [
    ("Chuẩn bị", "Thông báo tạm dừng hệ thống cũ cho toàn công ty", 15, "communication", (), False, ""),
    ("Chuẩn bị", "Khoá sổ kế toán tháng trên hệ thống cũ", 120, "normal", (0,), True, "Mở lại kỳ kế toán cũ"),
    ("Dữ liệu", "Xuất số dư đầu kỳ và tồn kho từ hệ thống cũ", 90, "normal", (1,), True, "Giữ nguyên hệ thống cũ"),
    ("Dữ liệu", "Nạp danh mục khách hàng và nhà cung cấp", 60, "normal", (2,), True, "Xoá dữ liệu đã nạp"),
    ("Dữ liệu", "Nạp số dư công nợ và tồn kho", 90, "normal", (3,), True, "Xoá dữ liệu đã nạp"),
    ("Kiểm tra", "Đối chiếu số dư với kế toán trưởng", 60, "validation", (4,), True, ""),
    ("Kiểm tra", "Người dùng chính thử các nghiệp vụ chính", 120, "validation", (5,), False, ""),
    ("Quyết định", "Điểm kiểm tra GO/NO-GO", 0, "checkpoint", (6,), True, ""),
    ("Vận hành", "Mở quyền truy cập cho người dùng", 30, "normal", (7,), False, "Khoá lại quyền truy cập"),
    ("Vận hành", "Thông báo vận hành chính thức", 10, "communication", (8,), False, ""),
]


def seed(project, users) -> None:
    if project.readiness_runs.exists():
        return
    pm, consultant = users[Role.PM], users[Role.CONSULTANT]
    _people(project, users)
    _cutover(project, users)
    _readiness(project, pm, consultant)


def _readiness(project, pm, consultant) -> None:
    security = project.readiness_criteria.filter(kind="manual").order_by("order").first()
    if security is not None:
        services.criterion_update(criterion=security, by=pm, version=security.version, owner=consultant)
    for days_ago in (14, 7, 0):
        run = services.readiness_run_request(project=project, by=pm)
        claimed, token = services.readiness_run_claim(run_id=run.pk, worker="demo")
        services.readiness_run_execute(run=claimed, token=token)
        at = timezone.now() - timedelta(days=days_ago)
        ReadinessRun.objects.filter(pk=run.pk).update(created_at=at, started_at=at, finished_at=at)
        if days_ago == 7 and security is not None:  # the security review was passed in the second week
            security.refresh_from_db()
            services.criterion_assess(
                criterion=security, by=consultant, met=True, note="Báo cáo kiểm thử xâm nhập đã được chấp nhận."
            )


def _cutover(project, users) -> None:
    pm, consultant = users[Role.PM], users[Role.CONSULTANT]
    tasks = []
    for stream, title, minutes, kind, before, critical, rollback in RUNBOOK:
        tasks.append(
            services.cutover_task_create(
                project=project,
                by=pm,
                title=title,
                stream=stream,
                type=kind,
                planned_minutes=minutes,
                owner=consultant if stream == "Dữ liệu" else pm,
                critical=critical,
                rollback=rollback,
                predecessors=[tasks[i] for i in before],
            )  # fmt: skip
        )
    runbook = services.runbook_get_or_create(project)
    start = timezone.now() - timedelta(days=9)
    rehearsal = services.cutover_run_start(runbook=runbook, by=pm, kind="rehearsal", baseline_start=start)
    for _ in range(len(RUNBOOK)):  # each task as soon as it is ready, like the rehearsal weekend
        ready = rehearsal.tasks.filter(state="ready").order_by("planned_start").first()
        if ready is None:
            break
        owner = ready.owner or pm
        services.cutover_run_task_start(task=ready, by=owner)
        ready.refresh_from_db()
        passed = True if ready.type in ("validation", "checkpoint") else None
        services.cutover_run_task_finish(task=ready, by=owner, passed=passed)
    clock = start
    for task in CutoverRunTask.objects.filter(run=rehearsal).order_by("planned_start", "code"):
        minutes = round(task.planned_minutes * 1.2)
        CutoverRunTask.objects.filter(pk=task.pk).update(
            actual_start=clock, actual_end=clock + timedelta(minutes=minutes)
        )
        clock += timedelta(minutes=minutes)
    CutoverRun.objects.filter(pk=rehearsal.pk).update(finished_at=clock)
    live_start = timezone.now() + timedelta(days=12)
    services.cutover_run_start(runbook=runbook, by=pm, kind="live", baseline_start=live_start)


def _people(project, users) -> None:
    pm, sponsor = users[Role.PM], users[Role.SPONSOR]
    plan = people.support_plan_get_or_create(project)
    golive = project.planned_golive
    plan = people.support_plan_update(
        plan=plan, by=pm, version=plan.version, hypercare_start=golive, hypercare_end=golive + timedelta(days=42),
        exit_criteria="Không còn sự cố P1 trong 2 tuần; 95 % sự cố xử lý đúng SLA.",
        procedure="Người dùng chính ghi nhận sự cố trên cổng khách hàng; L1 phản hồi trong 1 giờ làm việc.",
        working_hours="Thứ 2–6, 08:00–12:00 và 13:00–17:30",
    )  # fmt: skip
    desk = people.team_create(plan=plan, by=pm, name="Service desk", members=[users[Role.CONSULTANT]])
    for level, contact in (("L1", "Service desk"), ("L2", "Tư vấn chức năng"), ("L3", "Đội kỹ thuật")):
        people.escalation_create(
            plan=plan, by=pm, level=level, contact_name=contact, team=desk if level == "L1" else None
        )
    people.support_plan_request_approval(plan=plan, by=pm, approver=sponsor)

    now = timezone.now()
    for days, topic, status in (
        (-10, "Bán hàng và hoá đơn", "attended"),
        (-3, "Mua hàng và kho", "absent"),
        (5, "Báo cáo tài chính", None),
    ):
        session = people.session_create(
            project=project, by=pm, topic=topic, audience_roles=[Role.KEY_USER, Role.SPONSOR],
            starts_at=now + timedelta(days=days), ends_at=now + timedelta(days=days, hours=3), trainer=pm,
            place="Phòng họp tầng 3",
        )  # fmt: skip
        people.invite(session=session, by=pm, roles=[Role.KEY_USER, Role.SPONSOR])
        if status is not None:
            people.attendance_record(session=session, user=users[Role.KEY_USER], status=status, by=pm)
            people.attendance_record(session=session, user=sponsor, status="attended", by=pm)

    for title, published in (("Hướng dẫn lập hoá đơn", True), ("Hướng dẫn nhập kho", False)):
        guide = people.guide_create(project=project, by=pm, title=title)
        people.guide_version_add(guide=guide, by=pm, file=SimpleUploadedFile("huong-dan.pdf", PDF), note="Bản đầu")
        if published:
            people.guide_publish(guide=guide, by=pm)
