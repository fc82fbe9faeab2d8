"""Testing, continued: defects (most raised from a failed step of an execution) with their
comments, and load-test results measured against their bounds."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from projects.bigproject import words
from projects.bigproject.base import Context, codes, weighted
from projects.models import PhaseKind
from projects.roles import Role
from testing.models import Case, Defect, DefectComment, LoadTestResult

T = Case.Type
D = Defect.Status
DEFECT_STATUS = {
    "completed": {D.CLOSED: 70, D.REJECTED: 10, D.DEFERRED: 10, D.RETEST: 5, D.FIXED: 5},
    "running": {
        D.NEW: 15,
        D.OPEN: 20,
        D.IN_PROGRESS: 25,
        D.FIXED: 10,
        D.RETEST: 10,
        D.CLOSED: 15,
        D.REJECTED: 3,
        D.DEFERRED: 2,
    },
}
SEVERITY = {"critical": 5, "major": 30, "minor": 45, "trivial": 20}
PRIORITY = {"critical": "urgent", "major": "high", "minor": "medium", "trivial": "low"}


def generate(ctx: Context, cycles, executions) -> None:
    rng = ctx.rng("testing.defects")
    firm = ctx.users[Role.PM] + ctx.users[Role.CONSULTANT]
    reporters = firm + ctx.users[Role.KEY_USER] + ctx.users[Role.SPONSOR]
    items = ctx.shared["development_items"]
    failed = [e for e in executions if getattr(e, "failing_step", None)]
    total = ctx.n(10000)
    from_runs = rng.sample(failed, min(len(failed), int(total * 0.7)))
    running = [c for c in cycles if c.status != "completed"]
    defects = []
    for index, code in enumerate(codes("DEF", total)):
        execution = from_runs[index] if index < len(from_runs) else None
        cycle = execution.cycle if execution else rng.choice(running + [None])
        phase = "completed" if cycle is not None and cycle.status == "completed" else "running"
        status = weighted(rng, DEFECT_STATUS[phase])
        severity = weighted(rng, SEVERITY)
        created = (
            (execution.finished_at or execution.started_at) + timedelta(minutes=5)
            if execution
            else ctx.moment(rng, ctx.shared["phases"][PhaseKind.TESTING].planned_start, ctx.today)
        )
        defects.append(
            Defect(
                project=ctx.project,
                code=code,
                title=f"{words.title(rng, rng.choice(list(words.AREA_OBJECTS)))} fails",
                description="Steps to reproduce in the execution; screenshot attached.",
                severity=severity,
                priority=PRIORITY[severity] if rng.random() < 0.7 else rng.choice(list(PRIORITY.values())),
                status=status,
                cycle=cycle,
                case=execution.case if execution else None,
                execution=execution,
                step_result=execution.failing_step if execution else None,
                environment=cycle.environment if cycle else None,
                development_item=rng.choice(items) if items and rng.random() < 0.3 else None,
                reported_by=execution.tester if execution else rng.choice(reporters),
                assignee=None if status == D.NEW else rng.choice(firm),
                resolved_at=min(created + timedelta(days=rng.randint(1, 10)), ctx.now)
                if status in (D.CLOSED, D.REJECTED)
                else None,
                created_at=created,
            )
        )
    ctx.bulk(Defect, defects, label="defects")
    ctx.shared["defects"] = defects
    comments = []
    for defect in defects:
        if defect.status == D.NEW:
            continue
        for number in range(rng.randint(1, 3)):
            comments.append(
                DefectComment(
                    defect=defect,
                    author=rng.choice(firm + [defect.reported_by]),
                    body=rng.choice(
                        [
                            "Reproduced in TEST.",
                            "Fix transported, please retest.",
                            "Đã sửa, nhờ kiểm tra lại.",
                            "Duplicate of another defect.",
                        ]
                    ),
                    created_at=min(defect.created_at + timedelta(hours=6 * (number + 1)), ctx.now),
                )
            )
    ctx.bulk(DefectComment, comments, label="defect comments")


def load_results(ctx: Context, cycles, cases) -> None:
    rng = ctx.rng("testing.load")
    load_cases = [c for c in cases if c.type == T.LOAD] or cases
    load_cycle = next(c for c in cycles if c.type == T.LOAD)
    rows = []
    for index in range(ctx.n(24, minimum=2)):
        p95 = rng.randint(600, 3200)
        error_rate = Decimal(rng.randint(0, 2500)) / 1000
        throughput = Decimal(rng.randint(4000, 12000)) / 100
        max_p95, max_error = 2000, Decimal("1.000")
        rows.append(
            LoadTestResult(
                project=ctx.project,
                case=rng.choice(load_cases),
                cycle=load_cycle,
                scenario=f"{rng.choice(['Order entry', 'Invoice posting', 'MRP run', 'Stock report'])} #{index + 1}",
                virtual_users=rng.choice([100, 250, 500]),
                duration_seconds=rng.choice([900, 1800, 3600]),
                throughput_rps=throughput,
                p95_ms=p95,
                p99_ms=p95 + rng.randint(100, 2000),
                error_rate=error_rate,
                max_p95_ms=max_p95,
                max_error_rate=max_error,
                passed=p95 <= max_p95 and error_rate <= max_error,
                executed_at=ctx.moment(rng, load_cycle.planned_start - timedelta(days=30), ctx.today),
                recorded_by=ctx.users[Role.CONSULTANT][0],
            )
        )
    ctx.bulk(LoadTestResult, rows, label="load-test results")
