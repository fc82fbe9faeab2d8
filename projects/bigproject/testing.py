"""Testing: test cases with their steps, cycles with their scope and sign-offs, executions
with step results and evidence (defects and load-test results: ``defects.py``).

Executions follow what testers do: each case in scope of a cycle is run once, a failed or
blocked run is re-run (run 2, 3, ...) until the cycle's share of executions is used; only
the last run of a case may still be in progress, and only in a running cycle.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from phases.development.models import DevelopmentItem
from phases.discovery.models import Requirement
from projects.bigproject import defects, words
from projects.bigproject.base import Context, codes, spread, weighted
from projects.bigproject.plan import approval
from projects.models import Approval, PhaseKind
from projects.roles import Role
from testing.models import (
    Case,
    CaseStep,
    Cycle,
    CycleCase,
    Evidence,
    Execution,
    StepResult,
)

T = Case.Type
E = Execution.Status
STEPS_PER_CASE = 5
TYPES = {T.FUNCTIONAL: 55, T.INTEGRATION: 15, T.REGRESSION: 15, T.UAT: 14, T.LOAD: 1}
#: (name, type, status, environment, (first, last) day of the testing phase, scope {case type: share},
#:  share of the scope run, sign-off decision, tester role)
CYCLES = [
    (
        "FT 1 — Functional test round 1",
        T.FUNCTIONAL,
        "completed",
        "TEST",
        (0, 30),
        {T.FUNCTIONAL: 1.0},
        1.0,
        "approved",
        Role.CONSULTANT,
    ),
    (
        "SIT 1 — System integration test",
        T.INTEGRATION,
        "completed",
        "TEST",
        (10, 35),
        {T.INTEGRATION: 1.0},
        1.0,
        "approved",
        Role.CONSULTANT,
    ),
    (
        "REG 1 — Regression and retest",
        T.REGRESSION,
        "completed",
        "TEST",
        (30, 55),
        {T.REGRESSION: 1.0, T.FUNCTIONAL: 0.3},
        1.0,
        "pending",
        Role.CONSULTANT,
    ),
    (
        "FT 2 — Functional test round 2",
        T.FUNCTIONAL,
        "running",
        "TEST",
        (50, 90),
        {T.FUNCTIONAL: 0.5},
        0.6,
        None,
        Role.CONSULTANT,
    ),
    ("UAT 1 — Kiểm thử chấp nhận vòng 1", T.UAT, "running", "UAT", (57, 91), {T.UAT: 1.0}, 0.75, None, Role.KEY_USER),
    ("Load test — 500 concurrent users", T.LOAD, "planned", "UAT", (82, 92), {T.LOAD: 1.0}, 0.0, None, Role.CONSULTANT),
]
#: The last run of a case in a completed / running cycle.
LAST_RUN = {
    "completed": {E.PASSED: 92, E.FAILED: 6, E.BLOCKED: 2},
    "running": {E.PASSED: 65, E.FAILED: 17, E.BLOCKED: 5, E.IN_PROGRESS: 13},
}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def generate(ctx: Context) -> None:
    cases, steps = _cases(ctx)
    cycles = _cycles(ctx)
    executions = _executions(ctx, cycles, cases, steps)
    defects.generate(ctx, cycles, executions)
    defects.load_results(ctx, cycles, cases)


def _cases(ctx: Context):
    rng = ctx.rng("testing.cases")
    project = ctx.project
    firm = ctx.users[Role.PM] + ctx.users[Role.CONSULTANT]
    dev = ctx.shared["phases"][PhaseKind.DEVELOPMENT]
    agreed = [r for r in ctx.shared["requirements"] if r.status == Requirement.Status.AGREED]
    testable = agreed[: max(1, int(len(agreed) * 0.97))] or ctx.shared["requirements"]  # a few agreed without a test
    items = [i for i in ctx.shared["development_items"] if i.status != DevelopmentItem.Status.CANCELLED]

    count = ctx.n(20000, minimum=len(TYPES))
    types = spread(rng, count, TYPES)
    cases = []
    for code, type_ in zip(codes("TC", count), types, strict=True):
        area = rng.choice(list(words.AREA_OBJECTS))
        cases.append(
            Case(
                project=project,
                code=code,
                title=words.title(rng, area),
                type=type_,
                preconditions=rng.choice(["", "Master data loaded.", "Người dùng đã được phân quyền."]),
                test_data=rng.choice(["", "Vendor NCC000123; 2 lines", "KH: Công ty TNHH Minh Phát"]),
                owner=rng.choice(firm),
                created_at=ctx.moment(rng, dev.planned_start, ctx.today),
            )
        )
    ctx.bulk(Case, cases, label="test cases")
    ctx.shared["cases"] = cases
    ctx.link(
        Case.requirements,
        (
            (case.pk, req.pk)
            for case in cases
            for req in rng.sample(testable, min(len(testable), 1 if rng.random() < 0.75 else 2))
        ),
        label="case ↔ requirement links",
    )
    if items:
        ctx.link(
            Case.development_items,
            ((case.pk, rng.choice(items).pk) for case in cases if rng.random() < 0.3),
            label="case ↔ item links",
        )
    steps = {}
    for start in range(0, len(cases), 4000):
        batch = []
        for case in cases[start : start + 4000]:
            obj = rng.choice(words.AREA_OBJECTS["finance"] + words.AREA_OBJECTS["sales"])
            for order in range(1, STEPS_PER_CASE + 1):
                action, expected = rng.choice(words.STEP_ACTIONS)
                batch.append(
                    CaseStep(
                        case=case, order=order, action=action.format(obj=obj), expected_result=expected.format(obj=obj)
                    )
                )
        ctx.bulk(CaseStep, batch, label="test steps")
        for step in batch:
            steps.setdefault(step.case_id, []).append((step.pk, step.order, step.action, step.expected_result))
    return cases, steps


def _cycles(ctx: Context) -> list[Cycle]:
    rng = ctx.rng("testing.cycles")
    testing = ctx.shared["phases"][PhaseKind.TESTING]
    env = ctx.shared["environments"]
    cycles = []
    for name, type_, status, env_name, (first, last), scope, coverage, signoff, role in CYCLES:
        cycle = Cycle(
            project=ctx.project,
            name=name,
            type=type_,
            status=status,
            environment=env[env_name],
            planned_start=testing.planned_start + timedelta(days=first),
            planned_end=testing.planned_start + timedelta(days=last),
            created_at=ctx.moment(
                rng, testing.planned_start - timedelta(days=10), testing.planned_start + timedelta(days=first)
            ),
        )
        cycle.spec = {"scope": scope, "coverage": coverage, "signoff": signoff, "role": role}
        cycles.append(cycle)
    ctx.bulk(Cycle, cycles, label="test cycles")
    signoffs = []
    for cycle in cycles:
        if cycle.spec["signoff"]:
            when = ctx.moment(rng, cycle.planned_end, cycle.planned_end + timedelta(days=3))
            signoffs.append(
                approval(
                    ctx,
                    rng,
                    title=f"Test cycle sign-off: {cycle.name}",
                    target=cycle,
                    decision=cycle.spec["signoff"],
                    when=when,
                )
            )
            cycle.signoff = signoffs[-1]
    ctx.bulk(Approval, signoffs, label="sign-offs (approvals)")
    for cycle in cycles:
        cycle.signoff = cycle.signoff  # the approval was unsaved when assigned: take its id now
    Cycle.objects.bulk_update(cycles, ["signoff"])
    return cycles


def _executions(ctx: Context, cycles, cases, steps):
    rng = ctx.rng("testing.executions")
    by_type = {}
    for case in cases:
        by_type.setdefault(case.type, []).append(case)
    scopes, executed = [], []
    for cycle in cycles:
        testers = ctx.users[cycle.spec["role"]]
        chosen = []
        for type_, share in cycle.spec["scope"].items():
            pool = by_type.get(type_, [])
            chosen += rng.sample(pool, int(round(len(pool) * share))) if share < 1 else pool
        rows = [
            CycleCase(cycle=cycle, case=case, assignee=rng.choice(testers), order=index, created_at=cycle.created_at)
            for index, case in enumerate(sorted(chosen, key=lambda c: c.pk))
        ]
        scopes += rows
        run = rng.sample(rows, int(round(len(rows) * cycle.spec["coverage"])))
        executed += sorted(run, key=lambda r: r.order)
    ctx.bulk(CycleCase, scopes, label="cases in cycles")

    # Runs per executed case: one each, then re-runs until the total is reached.
    total = ctx.n(40000)
    executed = executed[:total]
    runs = {id(row): 1 for row in executed}
    extra = min(total - len(executed), 4 * len(executed))  # at most 5 runs of a case
    while extra > 0:
        row = executed[rng.randrange(len(executed))]
        if runs[id(row)] < 5:
            runs[id(row)] += 1
            extra -= 1
    cycle_of = {c.pk: c for c in cycles}
    executions = []
    for row in executed:
        cycle = cycle_of[row.cycle_id]
        count = runs[id(row)]
        moments = sorted(ctx.moment(rng, cycle.planned_start, cycle.planned_end) for _ in range(count))
        for number, started in enumerate(moments, start=1):
            last = number == count
            status = weighted(rng, LAST_RUN[cycle.status]) if last else weighted(rng, {E.FAILED: 85, E.BLOCKED: 15})
            finished = (
                None if status == E.IN_PROGRESS else min(started + timedelta(minutes=rng.randint(5, 90)), ctx.now)
            )
            execution = Execution(
                cycle=cycle,
                cycle_case=row,
                case=row.case,
                run=number,
                status=status,
                actual_result="See the step results and the screenshot." if status in (E.FAILED, E.BLOCKED) else "",
                tester=row.assignee,
                started_at=started,
                finished_at=finished,
                created_at=started,
            )
            executions.append(execution)
    ctx.bulk(Execution, executions, label="executions")

    # Step results, batch by batch; the failing step of each failed or blocked run is kept.
    for start in range(0, len(executions), 2000):
        batch = []
        for execution in executions[start : start + 2000]:
            case_steps = steps[execution.case_id]
            stop = rng.randint(1, len(case_steps))  # the failing step, or how far an open run is
            for step_id, order, action, expected in case_steps:
                status, recorded = "not_run", None
                if execution.status == E.PASSED or order < stop:
                    status, recorded = "passed", execution.started_at + timedelta(minutes=order)
                elif order == stop and execution.status in (E.FAILED, E.BLOCKED):
                    status, recorded = execution.status, execution.started_at + timedelta(minutes=order)
                result = StepResult(
                    execution=execution,
                    step_id=step_id,
                    order=order,
                    action=action,
                    expected_result=expected,
                    status=status,
                    actual_result="Kết quả khác mong đợi." if status in ("failed", "blocked") else "",
                    recorded_at=recorded,
                    created_at=execution.started_at,
                )
                if status in ("failed", "blocked"):
                    execution.failing_step = result
                batch.append(result)
        ctx.bulk(StepResult, batch, label="step results")
    _evidence(ctx, rng, [e for e in executions if getattr(e, "failing_step", None)])
    return executions


def _evidence(ctx: Context, rng, failed) -> None:
    rows = []
    for execution in rng.sample(failed, min(len(failed), ctx.n(400))):
        name = default_storage.save(f"testing/evidence/{rng.getrandbits(64):016x}.png", ContentFile(PNG))
        rows.append(
            Evidence(
                execution=execution,
                step_result=execution.failing_step,
                file=name,
                original_name=f"man-hinh-{execution.pk}.png",
                content_type="image/png",
                size=len(PNG),
                uploaded_by=execution.tester,
                created_at=execution.finished_at or execution.started_at,
            )
        )
    ctx.bulk(Evidence, rows, label="evidence files")
