"""Go-live: readiness criteria and two past readiness runs, a cutover runbook of ~500 tasks with
dependencies and a completed rehearsal, the support plan, training sessions with attendance
and user guides, for a project two months before its go-live.

The past runs' results are written as a run writes them (one per criterion, a snapshot), with
the failures a project in its testing phase has (UAT not signed off, open defects, no rehearsal
in the window); a new run on the project recomputes everything from the live data.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from golive.models import (
    Attendance,
    CutoverRun,
    CutoverRunTask,
    CutoverTask,
    EscalationLevel,
    GoNoGoDecision,
    ReadinessResult,
    ReadinessRun,
    Runbook,
    SupportPlan,
    SupportTeam,
    TrainingSession,
    UserGuide,
    UserGuideVersion,
)
from golive.services.decisions import snapshot_of
from golive.services.readiness import criteria_seed, score_of
from projects.bigproject.base import Context
from projects.roles import Role

STREAMS = ("Infrastructure", "Data migration", "Finance", "Sales & distribution", "Supply chain", "Communication")
PDF = b"%PDF-1.4\n% erpimpl big project user guide\n"


def generate(ctx: Context) -> None:
    rng = ctx.rng("golive")
    project = ctx.project
    criteria_seed(project)  # unless the project's creation did
    criteria = list(project.readiness_criteria.order_by("order"))
    ctx.counts["readiness criteria"] += len(criteria)
    last = _runs(ctx, rng, criteria)
    _runbook(ctx, rng)
    _people(ctx, rng)
    ctx.bulk(
        GoNoGoDecision,
        [
            GoNoGoDecision(
                project=project, meeting_at=ctx.now - timedelta(days=1), readiness_run=last, snapshot=snapshot_of(last)
            )
        ],
        label="go/no-go decisions",
    )  # a pending decision, taken on the last run


def _runs(ctx, rng, criteria) -> ReadinessRun:
    failing_first = {"uat_signed_off", "open_defects", "rehearsals", "training_completion", "support_plan_approved"}
    for number, days_ago, failing in ((1, 14, failing_first), (2, 7, failing_first - {"support_plan_approved"})):
        at = ctx.now - timedelta(days=days_ago)
        run = ctx.bulk(
            ReadinessRun,
            [
                ReadinessRun(
                    project=ctx.project,
                    number=number,
                    status=ReadinessRun.Status.SUCCEEDED,
                    trigger=ReadinessRun.Trigger.SCHEDULED,
                    started_at=at,
                    finished_at=at + timedelta(seconds=4),
                    criteria_total=len(criteria),
                    criteria_done=len(criteria),
                    created_at=at,
                    duration_ms=4000,
                )  # fmt: skip
            ],
            label="readiness runs",
        )[0]
        results = [
            ReadinessResult(
                run=run,
                criterion=c,
                code=c.code,
                title=c.title,
                category=c.category,
                kind=c.kind,
                rule=c.rule,
                weight=c.weight,
                blocking=c.blocking,
                internal=c.internal,
                order=c.order,
                created_at=at,
                result="fail" if c.rule in failing or (not c.rule and rng.random() < 0.5) else "pass",
                measured="",
                threshold="",
            )  # fmt: skip
            for c in criteria
        ]
        ctx.bulk(ReadinessResult, results, label="readiness results")
        score, recommendation, blockers = score_of(results)
        ReadinessRun.objects.filter(pk=run.pk).update(score=score, recommendation=recommendation, blockers=blockers)
    run.refresh_from_db()
    return run


def _runbook(ctx, rng) -> None:
    project = ctx.project
    firm = ctx.users[Role.PM] + ctx.users[Role.CONSULTANT]
    runbook = ctx.bulk(
        Runbook, [Runbook(project=project, window_hours=60, planned_start=ctx.now + timedelta(days=55))]
    )[0]
    total = ctx.n(500, minimum=5)
    tasks = []
    for number in range(1, total + 1):
        critical = rng.random() < 0.15
        tasks.append(
            CutoverTask(
                project=project,
                runbook=runbook,
                number=number,
                code=f"CT-{number:03d}",
                stream=STREAMS[rng.randrange(len(STREAMS))],
                title=f"Cutover step {number}",
                type=rng.choices(
                    ["normal", "milestone", "communication", "validation", "checkpoint"], weights=[80, 5, 6, 8, 1]
                )[0],
                owner=rng.choice(firm) if rng.random() < 0.95 else None,
                planned_minutes=rng.choice([10, 15, 30, 45, 60, 90, 120, 240]) if rng.random() < 0.97 else None,
                critical=critical,
                rollback=f"Undo step {number}" if critical and rng.random() < 0.9 else "",
                internal=rng.random() < 0.1,
            )  # fmt: skip
        )
    ctx.bulk(CutoverTask, tasks, label="cutover tasks")
    pairs = []
    for index, task in enumerate(tasks[1:], start=1):
        for before in rng.sample(range(max(0, index - 20), index), k=min(index, rng.choice([1, 1, 2]))):
            pairs.append((task.pk, tasks[before].pk))
    ctx.link(CutoverTask.predecessors, pairs, label="cutover dependencies")

    start = ctx.now - timedelta(days=10)
    rehearsal = ctx.bulk(
        CutoverRun,
        [
            CutoverRun(
                project=project,
                runbook=runbook,
                kind=CutoverRun.Kind.REHEARSAL,
                number=1,
                status=CutoverRun.Status.COMPLETED,
                baseline_start=start,
                finished_at=start + timedelta(hours=70),
            )  # fmt: skip
        ],
        label="cutover runs",
    )[0]
    clock, snapshot = start, []
    for task in tasks:
        minutes = task.planned_minutes or 0
        actual = int(minutes * rng.uniform(0.8, 1.5))
        snapshot.append(
            CutoverRunTask(
                run=rehearsal,
                task=task,
                code=task.code,
                stream=task.stream,
                title=task.title,
                type=task.type,
                owner=task.owner,
                planned_minutes=minutes,
                critical=task.critical,
                rollback=task.rollback,
                internal=task.internal,
                planned_start=clock,
                planned_end=clock + timedelta(minutes=minutes),
                state=CutoverRunTask.State.COMPLETE,
                actual_start=clock,
                actual_end=clock + timedelta(minutes=actual),
            )  # fmt: skip
        )
        clock += timedelta(minutes=actual // 4)
    ctx.bulk(CutoverRunTask, snapshot, label="rehearsal tasks")


def _people(ctx, rng) -> None:
    project = ctx.project
    firm = ctx.users[Role.PM] + ctx.users[Role.CONSULTANT]
    clients = [(role, u) for role in (Role.SPONSOR, Role.KEY_USER, Role.VIEWER) for u in ctx.users.get(role, [])]
    plan = ctx.bulk(
        SupportPlan,
        [
            SupportPlan(
                project=project,
                hypercare_start=project.planned_golive,
                hypercare_end=project.planned_golive + timedelta(days=42),
                exit_criteria="No P1 incident for 2 weeks; 95 % of incidents within SLA",
                procedure="Key users log incidents in the portal; L1 answers within one business hour.",
                working_hours="Mon–Fri 08:00–12:00, 13:00–17:30 (Asia/Ho_Chi_Minh)",
            )  # fmt: skip
        ],
    )[0]
    teams = ctx.bulk(SupportTeam, [SupportTeam(plan=plan, name=n) for n in ("Service desk", "ERP functional", "Basis")])
    ctx.link(SupportTeam.members, [(t.pk, rng.choice(firm).pk) for t in teams for _ in range(3)], label="team members")
    ctx.bulk(
        EscalationLevel,
        [
            EscalationLevel(plan=plan, level=level, team=team, contact_name=f"{level} lead", contact_email=f"{level}@firm.example")
            for level, team in zip(("L1", "L2", "L3"), teams, strict=True)
        ],
    )  # fmt: skip
    designs = ctx.shared.get("designs", [])
    sessions = []
    for number in range(ctx.n(24, minimum=2)):
        starts = ctx.now + timedelta(days=rng.randint(-30, 30), hours=rng.randint(0, 6))
        roles = rng.sample([Role.KEY_USER, Role.VIEWER, Role.SPONSOR], k=rng.randint(1, 2))
        sessions.append(
            TrainingSession(
                project=project,
                topic=f"Training {number + 1}",
                audience_roles=[str(r) for r in roles],
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                trainer=rng.choice(firm),
                place="Room 3.2",
            )  # fmt: skip
        )
    ctx.bulk(TrainingSession, sessions, label="training sessions")
    if designs:
        ctx.link(
            TrainingSession.processes, [(s.pk, rng.choice(designs).pk) for s in sessions], label="training processes"
        )
    attendance = []
    for session in sessions:
        past = session.ends_at < ctx.now
        for role, user in clients:
            if str(role) in session.audience_roles:
                status = rng.choices(["attended", "absent", "excused"], weights=[85, 10, 5])[0] if past else "invited"
                attendance.append(Attendance(session=session, user=user, status=status))
    ctx.bulk(Attendance, attendance, label="attendance")
    guides = ctx.bulk(
        UserGuide,
        [UserGuide(project=project, title=f"User guide: {d.name}"[:200], published=rng.random() < 0.6) for d in designs[: ctx.n(60)]],
        label="user guides",
    )  # fmt: skip
    ctx.link(
        UserGuide.processes, [(g.pk, d.pk) for g, d in zip(guides, designs, strict=False)], label="guide processes"
    )
    versions = []
    for guide in guides:
        name = default_storage.save(f"golive/guides/{rng.getrandbits(64):016x}.pdf", ContentFile(PDF))
        versions.append(
            UserGuideVersion(
                guide=guide,
                number=1,
                file=name,
                original_name="guide.pdf",
                content_type="application/pdf",
                size=len(PDF),
                uploaded_by=rng.choice(firm),
            )  # fmt: skip
        )
    ctx.bulk(UserGuideVersion, versions, label="user guide versions")
