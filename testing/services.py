"""Every write of the testing app. Keyword-only functions taking the acting user as ``by``.

Who may do what (projects/roles.py): EDIT writes test cases, cycles, scope and assignments
and triages defects; PARTICIPATE executes runs (client roles only the cases assigned to
them), attaches evidence, raises and comments defects; APPROVE decides a cycle sign-off.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from erpimpl.errors import DomainError
from projects import services as project_services
from projects.audit import audited
from projects.codes import next_codes
from projects.models import Approval, Membership, Project
from projects.roles import CLIENT_ROLES, Capability, can, require, role_of
from projects.updating import apply_update, lock
from testing.models import (
    Case,
    CaseStep,
    Cycle,
    CycleCase,
    Defect,
    DefectComment,
    Evidence,
    Execution,
    LoadTestResult,
    StepResult,
    StepStatus,
)
from testing.transitions import (
    CYCLE_TRANSITIONS,
    DEFECT_TRANSITIONS,
    OPEN_DEFECT_STATUSES,
    RESOLVED_DEFECT_STATUSES,
)

C = Capability

# --- messages (tests assert these) -------------------------------------------------------
NOT_A_MEMBER = N_("{user} is not a member of this project.")
OTHER_PROJECT = N_("This {what} belongs to another project.")
NO_STEPS = N_("A test case needs at least one step with an action and an expected result.")
STEP_INCOMPLETE = N_("Step {n} needs both an action and an expected result.")
CASE_HAS_RUNS = N_("{case} has been executed; it cannot be deleted (its history is kept).")
CYCLE_HAS_RUNS = N_("This cycle has executions; it cannot be deleted (its history is kept).")
CASE_IN_CYCLE_HAS_RUNS = N_("{case} has been executed in this cycle; it stays in scope.")
ILLEGAL_CYCLE_TRANSITION = N_("A cycle cannot go from {current} to {target}.")
CYCLE_SIGNED_OFF = N_("This cycle is signed off; its scope and results can no longer change.")
CYCLE_COMPLETED = N_("This cycle is completed; reopen it (status running) to execute cases.")
ASSIGNEE_CANNOT_TEST = N_("{user} cannot execute tests on this project (their role does not allow it).")
UAT_ASSIGNEE_NOT_CLIENT = N_("UAT cases are assigned to the client's key users; {user} is not one.")
NOT_ASSIGNED_TO_YOU = N_("You can only execute cases assigned to you; {case} is assigned to {assignee}.")
NOT_ASSIGNED_TO_ANYONE = N_("You can only execute cases assigned to you; {case} is not assigned to anyone yet.")
NOT_YOUR_RUN = N_("This run belongs to {tester}; only they or the test team can record its results.")
RUN_FINISHED = N_("This run is finished ({result}); start a re-test to run the case again.")
NO_SUCH_STEP = N_("This run has no step {n}.")
STEPS_NOT_RUN = N_("Record a result for every step before finishing: {n} step(s) not run.")
STEP_NOT_FAILED = N_("A defect can be raised from a failed or blocked step only; this step is {status}.")
ILLEGAL_TRANSITION = N_("A defect cannot go from {current} to {target}.")
TRANSITION_NOT_ALLOWED = N_("Your role cannot move a defect from {current} to {target}.")
EVIDENCE_TOO_LARGE = N_("The file is {size} MB; evidence may be at most {limit} MB.")
EVIDENCE_BAD_TYPE = N_("Files of type {ext} cannot be attached; allowed: {allowed}.")
EVIDENCE_CONTENT_MISMATCH = N_("The file's content does not match its {ext} extension.")
EVIDENCE_EMPTY = N_("The file is empty.")
NO_BOUND = N_("Give at least one acceptance bound (p95, p99, error rate or throughput).")
SIGNOFF_PENDING = N_("A sign-off of this cycle is already waiting for a decision.")
SIGNOFF_NO_CASES = N_("The cycle has no cases in scope; there is nothing to sign off.")
SIGNOFF_RUNS_OPEN = N_("{n} run(s) are still in progress; finish them before asking for sign-off.")
SIGNOFF_NOT_REQUESTED = N_("No sign-off of this cycle is waiting for a decision.")
OPEN_CRITICAL_DEFECTS = N_(
    "{n} critical defect(s) are still open ({codes}). Sign off only with an explicit override and its reason."
)
OVERRIDE_REASON_REQUIRED = N_("Give the reason for signing off with open critical defects.")

# --- evidence limits ---------------------------------------------------------------------
_ZIP = (b"PK\x03\x04",)
#: extension → (content type, accepted leading bytes; ``None`` means UTF-8 text)
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    "pdf": ("application/pdf", (b"%PDF-",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "txt": ("text/plain", None),
    "log": ("text/plain", None),
    "csv": ("text/csv", None),
}


def evidence_max_bytes() -> int:
    return getattr(settings, "TESTING_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


# --- helpers -----------------------------------------------------------------------------


def _is_member(project: Project, user) -> bool:
    return user.is_staff or Membership.objects.filter(project=project, user=user).exists()


def _check_member(project: Project, user, field: str) -> None:
    if user is not None and not _is_member(project, user):
        raise DomainError(_(NOT_A_MEMBER).format(user=user), field=field)


def _check_same_project(project: Project, obj, what: str, field: str) -> None:
    if obj is not None and obj.owning_project_id != project.pk:
        raise DomainError(_(OTHER_PROJECT).format(what=what), field=field)


def _clean_steps(steps) -> list[tuple[str, str]]:
    cleaned = []
    for index, step in enumerate(steps, start=1):
        action = (step.get("action") or "").strip()
        expected = (step.get("expected_result") or "").strip()
        if not action and not expected:
            continue
        if not (action and expected):
            raise DomainError(_(STEP_INCOMPLETE).format(n=index), field="steps")
        cleaned.append((action, expected))
    if not cleaned:
        raise DomainError(_(NO_STEPS), field="steps")
    return cleaned


def _write_steps(case: Case, steps: list[tuple[str, str]]) -> None:
    case.steps.all().delete()
    for index, (action, expected) in enumerate(steps, start=1):  # one save each: every step is audited
        CaseStep.objects.create(case=case, order=index, action=action, expected_result=expected)


def _check_links(project: Project, links: dict) -> None:
    """Linked requirements / development items / environment must be of the same project."""
    for field, value in links.items():
        items = value if isinstance(value, list | tuple | set) or hasattr(value, "all") else [value]
        for item in items:
            if item is not None and item.project_id != project.pk:
                raise DomainError(_(OTHER_PROJECT).format(what=field.replace("_", " ").rstrip("s")), field=field)


# --- test cases --------------------------------------------------------------------------

CASE_FIELDS = {"title", "type", "preconditions", "test_data", "owner", "requirements", "development_items"}


def _case_link_fields() -> set[str]:
    return {f.name for f in Case._meta.many_to_many}


@audited
def case_create(*, project: Project, by, title: str, steps, **fields) -> Case:
    """Create a test case with its ordered steps; the code (TC-001...) is given per project."""
    require(by, project, C.EDIT)
    _check_member(project, fields.get("owner"), "owner")
    links = {name: fields.pop(name) for name in list(fields) if name in _case_link_fields()}
    _check_links(project, links)
    cleaned = _clean_steps(steps)
    with transaction.atomic():
        lock(project)
        case = Case(project=project, title=title, code=next_codes(Case, project, "TC")[0], **fields)
        case.full_clean()
        case.save()
        _write_steps(case, cleaned)
        for name, value in links.items():
            getattr(case, name).set(value)
    return case


@audited
def case_update(*, case: Case, by, version: int, steps=None, **changes) -> Case:
    """Edit a case; ``steps``, when given, replace the steps (past runs keep their copy)."""
    require(by, case.project, C.EDIT)
    _check_member(case.project, changes.get("owner"), "owner")
    _check_links(case.project, {k: v for k, v in changes.items() if k in _case_link_fields()})
    cleaned = _clean_steps(steps) if steps is not None else None
    with transaction.atomic():
        updated = apply_update(case, version=version, changes=changes, allowed=CASE_FIELDS)
        if cleaned is not None:
            _write_steps(updated, cleaned)
    return updated


@audited
def case_delete(*, case: Case, by) -> None:
    require(by, case.project, C.EDIT)
    if case.executions.exists():
        raise DomainError(_(CASE_HAS_RUNS).format(case=case.code))
    with transaction.atomic():
        case.cycle_cases.all().delete()
        case.delete()


# --- cycles and scope --------------------------------------------------------------------

CYCLE_FIELDS = {"name", "type", "status", "environment", "planned_start", "planned_end"}


@audited
def cycle_create(*, project: Project, by, name: str, **fields) -> Cycle:
    require(by, project, C.EDIT)
    _check_links(project, {k: v for k, v in fields.items() if k == "environment"})
    cycle = Cycle(project=project, name=name, **fields)
    cycle.full_clean()
    cycle.save()
    return cycle


def _check_not_signed_off(cycle: Cycle) -> None:
    if cycle.signoff_id and cycle.signoff.decision == Approval.Decision.APPROVED:
        raise DomainError(_(CYCLE_SIGNED_OFF))


@audited
def cycle_update(*, cycle: Cycle, by, version: int, **changes) -> Cycle:
    require(by, cycle.project, C.EDIT)
    _check_not_signed_off(cycle)
    _check_links(cycle.project, {k: v for k, v in changes.items() if k == "environment"})
    target = changes.get("status")
    if target and target != cycle.status and target not in CYCLE_TRANSITIONS[cycle.status]:
        raise DomainError(
            _(ILLEGAL_CYCLE_TRANSITION).format(
                current=cycle.get_status_display().lower(), target=Cycle.Status(target).label.lower()
            ),
            field="status",
        )
    return apply_update(cycle, version=version, changes=changes, allowed=CYCLE_FIELDS)


@audited
def cycle_delete(*, cycle: Cycle, by) -> None:
    require(by, cycle.project, C.EDIT)
    if cycle.executions.exists():
        raise DomainError(_(CYCLE_HAS_RUNS))
    cycle.delete()


def _check_assignee(cycle: Cycle, assignee) -> None:
    if assignee is None:
        return
    _check_member(cycle.project, assignee, "assignee")
    if not can(assignee, cycle.project, C.PARTICIPATE):
        raise DomainError(_(ASSIGNEE_CANNOT_TEST).format(user=assignee), field="assignee")
    if cycle.type == Case.Type.UAT and role_of(assignee, cycle.project) not in CLIENT_ROLES:
        raise DomainError(_(UAT_ASSIGNEE_NOT_CLIENT).format(user=assignee), field="assignee")


@audited
def cycle_add_cases(*, cycle: Cycle, by, cases, assignee=None) -> list[CycleCase]:
    """Put cases in the cycle's scope (already there: assignment updated). Returns the rows."""
    require(by, cycle.project, C.EDIT)
    _check_not_signed_off(cycle)
    _check_assignee(cycle, assignee)
    for case in cases:
        _check_same_project(cycle.project, case, _("test case"), "cases")
    rows = []
    with transaction.atomic():
        lock(cycle)
        order = (cycle.cycle_cases.aggregate(m=Max("order"))["m"] or 0) + 1
        for case in cases:
            row, created = CycleCase.objects.get_or_create(
                cycle=cycle, case=case, defaults={"assignee": assignee, "order": order}
            )
            if created:
                order += 1
            elif assignee is not None and row.assignee_id != assignee.pk:
                row.assignee = assignee
                row.save(update_fields=["assignee", "updated_at"])
            rows.append(row)
    return rows


@audited
def cycle_case_assign(*, cycle_case: CycleCase, by, assignee) -> CycleCase:
    cycle = cycle_case.cycle
    require(by, cycle.project, C.EDIT)
    _check_not_signed_off(cycle)
    _check_assignee(cycle, assignee)
    cycle_case.assignee = assignee
    cycle_case.save(update_fields=["assignee", "updated_at"])
    return cycle_case


@audited
def cycle_case_remove(*, cycle_case: CycleCase, by) -> None:
    require(by, cycle_case.cycle.project, C.EDIT)
    _check_not_signed_off(cycle_case.cycle)
    if cycle_case.executions.exists():
        raise DomainError(_(CASE_IN_CYCLE_HAS_RUNS).format(case=cycle_case.case.code))
    cycle_case.delete()


# --- executions --------------------------------------------------------------------------


def may_execute(user, cycle_case: CycleCase) -> bool:
    """The assignee may; the firm's test team (EDIT) may run any case; client roles only theirs."""
    project = cycle_case.cycle.project
    if not can(user, project, C.PARTICIPATE):
        return False
    return cycle_case.assignee_id == user.pk or can(user, project, C.EDIT)


@audited
def execution_start(*, cycle_case: CycleCase, by) -> Execution:
    """Start a run of the case (the first, or a re-test after a finished one).

    A run already in progress is returned as it is (starting twice is harmless). A planned
    cycle starts running with its first execution.
    """
    cycle = cycle_case.cycle
    require(by, cycle.project, C.PARTICIPATE)
    if not may_execute(by, cycle_case):
        if cycle_case.assignee_id is None:
            raise DomainError(_(NOT_ASSIGNED_TO_ANYONE).format(case=cycle_case.case.code))
        assignee = cycle_case.assignee.get_full_name() or cycle_case.assignee.username
        raise DomainError(_(NOT_ASSIGNED_TO_YOU).format(case=cycle_case.case.code, assignee=assignee))
    _check_not_signed_off(cycle)
    with transaction.atomic():
        locked_cycle = lock(cycle)
        if locked_cycle.status == Cycle.Status.COMPLETED:
            raise DomainError(_(CYCLE_COMPLETED))
        if locked_cycle.status == Cycle.Status.PLANNED:
            locked_cycle.status = Cycle.Status.RUNNING
            locked_cycle.version += 1
            locked_cycle.save(update_fields=["status", "version", "updated_at"])
        open_run = cycle_case.executions.filter(status=Execution.Status.IN_PROGRESS).first()
        if open_run is not None:
            return open_run
        last = cycle_case.executions.aggregate(m=Max("run"))["m"] or 0
        execution = Execution(
            cycle=cycle,
            cycle_case=cycle_case,
            case=cycle_case.case,
            run=last + 1,
            tester=by,
            started_at=timezone.now(),
        )
        execution.full_clean()
        execution.save()
        for step in cycle_case.case.steps.order_by("order"):  # one save each: every row is audited
            StepResult.objects.create(
                execution=execution,
                step=step,
                order=step.order,
                action=step.action,
                expected_result=step.expected_result,
            )
    return execution


def _check_may_record(execution: Execution, by) -> None:
    project = execution.cycle.project
    require(by, project, C.PARTICIPATE)
    if execution.tester_id != by.pk and not can(by, project, C.EDIT):
        raise DomainError(_(NOT_YOUR_RUN).format(tester=execution.tester.get_full_name() or execution.tester.username))
    _check_not_signed_off(execution.cycle)


@audited
def execution_record_step(*, execution: Execution, by, order: int, status: str, actual_result: str = "") -> StepResult:
    """Record one step's result (passed, failed, blocked or back to not run) in an open run."""
    _check_may_record(execution, by)
    if status not in StepStatus.values:
        raise DomainError(_("Choose passed, failed, blocked or not run."), field="status")
    with transaction.atomic():
        current = lock(execution)
        if current.status != Execution.Status.IN_PROGRESS:
            raise DomainError(_(RUN_FINISHED).format(result=current.get_status_display().lower()))
        result = current.step_results.select_for_update().filter(order=order).first()
        if result is None:
            raise DomainError(_(NO_SUCH_STEP).format(n=order), field="order")
        result.status = status
        result.actual_result = actual_result
        result.recorded_at = timezone.now() if status != StepStatus.NOT_RUN else None
        result.full_clean()
        result.save()
    return result


def execution_outcome(statuses: list[str]) -> str | None:
    """The run's result from its step results; ``None`` while it cannot be decided yet."""
    if StepStatus.FAILED in statuses:
        return Execution.Status.FAILED
    if StepStatus.BLOCKED in statuses:
        return Execution.Status.BLOCKED
    if StepStatus.NOT_RUN in statuses:
        return None
    return Execution.Status.PASSED


@audited
def execution_finish(*, execution: Execution, by, actual_result: str = "") -> Execution:
    """Close the run: failed if a step failed, blocked if one is blocked, else passed."""
    _check_may_record(execution, by)
    with transaction.atomic():
        current = lock(execution)
        if current.status != Execution.Status.IN_PROGRESS:
            raise DomainError(_(RUN_FINISHED).format(result=current.get_status_display().lower()))
        statuses = list(current.step_results.values_list("status", flat=True))
        outcome = execution_outcome(statuses)
        if outcome is None:
            raise DomainError(_(STEPS_NOT_RUN).format(n=statuses.count(StepStatus.NOT_RUN)))
        current.status = outcome
        current.actual_result = actual_result or current.actual_result
        current.finished_at = timezone.now()
        current.full_clean()
        current.save()
    return current


def _sniff_ok(head: bytes, magic: tuple[bytes, ...] | None) -> bool:
    if magic is None:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            return exc.start >= len(head) - 3  # a multi-byte character cut at the sniff boundary
        return True
    return any(head.startswith(m) for m in magic)


def evidence_validate(file) -> tuple[str, str]:
    """Size and type checks of an evidence or report file; returns (extension, content type)."""
    limit = evidence_max_bytes()
    name = getattr(file, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        allowed = ", ".join(f".{e}" for e in EVIDENCE_TYPES)
        raise DomainError(
            _(EVIDENCE_BAD_TYPE).format(ext=f".{ext}" if ext else _("(none)"), allowed=allowed), field="file"
        )
    if file.size > limit:
        raise DomainError(
            _(EVIDENCE_TOO_LARGE).format(size=f"{file.size / 1048576:.1f}", limit=f"{limit / 1048576:.0f}"),
            field="file",
        )
    if file.size == 0:
        raise DomainError(_(EVIDENCE_EMPTY), field="file")
    content_type, magic = EVIDENCE_TYPES[ext]
    file.seek(0)
    head = file.read(4096)
    file.seek(0)
    if not _sniff_ok(head, magic):
        raise DomainError(_(EVIDENCE_CONTENT_MISMATCH).format(ext=f".{ext}"), field="file")
    return ext, content_type


@audited
def evidence_add(*, execution: Execution, by, file, step_order: int | None = None) -> Evidence:
    """Attach a file to a run (and to one of its steps). Finished runs accept evidence too."""
    _check_may_record(execution, by)
    _ext, content_type = evidence_validate(file)
    step_result = None
    if step_order is not None:
        step_result = execution.step_results.filter(order=step_order).first()
        if step_result is None:
            raise DomainError(_(NO_SUCH_STEP).format(n=step_order), field="step_order")
    original = (getattr(file, "name", "") or "evidence").replace("\\", "/").rsplit("/", 1)[-1][:255]
    with transaction.atomic():
        evidence = Evidence(
            execution=execution,
            step_result=step_result,
            file=file,
            original_name=original,
            content_type=content_type,
            size=file.size,
            uploaded_by=by,
        )
        evidence.save()
    return evidence


# --- defects -----------------------------------------------------------------------------

DEFECT_FIELDS = {"title", "description", "severity", "priority", "assignee", "development_item", "environment"}


def _stamp_resolved(defect: Defect) -> None:
    if defect.status in RESOLVED_DEFECT_STATUSES:
        defect.resolved_at = defect.resolved_at or timezone.now()
    else:
        defect.resolved_at = None


@audited
def defect_create(
    *,
    project: Project,
    by,
    title: str,
    description: str = "",
    severity: str = Defect.Severity.MAJOR,
    priority: str = Defect.Priority.MEDIUM,
    assignee=None,
    step_result: StepResult | None = None,
    case: Case | None = None,
    cycle: Cycle | None = None,
    **links,
) -> Defect:
    """Log a defect. Raised from a failed step, it carries that run's case, cycle and environment."""
    require(by, project, C.PARTICIPATE)
    _check_member(project, assignee, "assignee")
    _check_same_project(project, step_result, _("step"), "step_result")
    _check_same_project(project, case, _("test case"), "case")
    _check_same_project(project, cycle, _("cycle"), "cycle")
    _check_links(project, links)
    execution = None
    if step_result is not None:
        if step_result.status not in (StepStatus.FAILED, StepStatus.BLOCKED):
            raise DomainError(
                _(STEP_NOT_FAILED).format(status=step_result.get_status_display().lower()), field="step_result"
            )
        execution = step_result.execution
        case, cycle = execution.case, execution.cycle
    if cycle is not None and links.get("environment") is None:
        links["environment"] = cycle.environment
    with transaction.atomic():
        lock(project)
        defect = Defect(
            project=project,
            code=next_codes(Defect, project, "DEF")[0],
            title=title,
            description=description,
            severity=severity,
            priority=priority,
            assignee=assignee,
            reported_by=by,
            step_result=step_result,
            execution=execution,
            case=case,
            cycle=cycle,
            **links,
        )
        defect.full_clean()
        defect.save()
    return defect


@audited
def defect_update(*, defect: Defect, by, version: int, **changes) -> Defect:
    """Edit a defect's description, severity, priority, assignee or linked item (the firm's triage)."""
    require(by, defect.project, C.EDIT)
    _check_member(defect.project, changes.get("assignee"), "assignee")
    _check_links(defect.project, {k: v for k, v in changes.items() if k in {"development_item", "environment"}})
    return apply_update(defect, version=version, changes=changes, allowed=DEFECT_FIELDS)


@audited
def defect_transition(*, defect: Defect, by, to_status: str, comment: str = "", version: int | None = None) -> Defect:
    """Move a defect along ``DEFECT_TRANSITIONS``; a comment, if given, is kept with the move."""
    require(by, defect.project, C.PARTICIPATE)
    with transaction.atomic():
        current = lock(defect)
        if version is not None and current.version != version:
            from erpimpl.errors import STALE_VERSION, ConflictError

            raise ConflictError(STALE_VERSION.format(current=current.version))
        allowed = DEFECT_TRANSITIONS.get(current.status, {})
        labels = {
            "current": current.get_status_display().lower(),
            "target": Defect.Status(to_status).label.lower() if to_status in Defect.Status.values else to_status,
        }
        if to_status not in allowed:
            raise DomainError(_(ILLEGAL_TRANSITION).format(**labels), field="to_status")
        if not can(by, defect.project, allowed[to_status]):
            raise DomainError(_(TRANSITION_NOT_ALLOWED).format(**labels), field="to_status")
        current.status = to_status
        _stamp_resolved(current)
        current.version += 1
        current.full_clean()
        current.save()
        if comment.strip():
            DefectComment.objects.create(defect=current, author=by, body=comment.strip())
    return current


@audited
def defect_comment_add(*, defect: Defect, by, body: str) -> DefectComment:
    require(by, defect.project, C.PARTICIPATE)
    if not body.strip():
        raise DomainError(_("Write a comment."), field="body")
    comment = DefectComment(defect=defect, author=by, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment


# --- load tests --------------------------------------------------------------------------


def load_result_passes(result: LoadTestResult) -> bool:
    checks = []
    if result.max_p95_ms is not None:
        checks.append(result.p95_ms <= result.max_p95_ms)
    if result.max_p99_ms is not None:
        checks.append(result.p99_ms <= result.max_p99_ms)
    if result.max_error_rate is not None:
        checks.append(Decimal(result.error_rate) <= Decimal(result.max_error_rate))
    if result.min_throughput_rps is not None:
        checks.append(Decimal(result.throughput_rps) >= Decimal(result.min_throughput_rps))
    return bool(checks) and all(checks)


@audited
def load_result_record(*, project: Project, by, report=None, case=None, cycle=None, **fields) -> LoadTestResult:
    """Record a load-test run; ``passed`` is computed from the measured figures and the bounds."""
    require(by, project, C.EDIT)
    _check_same_project(project, case, _("test case"), "case")
    _check_same_project(project, cycle, _("cycle"), "cycle")
    if all(fields.get(k) is None for k in ("max_p95_ms", "max_p99_ms", "max_error_rate", "min_throughput_rps")):
        raise DomainError(_(NO_BOUND), field="max_p95_ms")
    if report is not None:
        evidence_validate(report)
    fields.setdefault("executed_at", timezone.now())
    with transaction.atomic():
        result = LoadTestResult(project=project, case=case, cycle=cycle, recorded_by=by, **fields)
        if report is not None:
            result.report = report
            result.report_name = (getattr(report, "name", "") or "report").rsplit("/", 1)[-1][:255]
        result.full_clean()
        result.passed = load_result_passes(result)
        result.save()
    return result


# --- UAT sign-off ------------------------------------------------------------------------


def cycle_open_defects(cycle: Cycle):
    """Open defects of the cycle: raised in it, or on one of its cases without a cycle."""
    case_ids = cycle.cycle_cases.values("case_id")
    return (
        Defect.objects.filter(project_id=cycle.project_id, status__in=OPEN_DEFECT_STATUSES)
        .filter(Q(cycle=cycle) | Q(cycle__isnull=True, case_id__in=case_ids))
        .select_related("assignee", "case")
        .order_by("severity", "code")
    )


@audited
def cycle_signoff_request(*, cycle: Cycle, by, approver=None) -> Approval:
    """Ask the sponsor (or any approver) to sign the cycle off."""
    require(by, cycle.project, C.EDIT)
    if cycle.signoff_id and cycle.signoff.decision == Approval.Decision.PENDING:
        raise DomainError(_(SIGNOFF_PENDING))
    _check_not_signed_off(cycle)
    if not cycle.cycle_cases.exists():
        raise DomainError(_(SIGNOFF_NO_CASES))
    running = cycle.executions.filter(status=Execution.Status.IN_PROGRESS).count()
    if running:
        raise DomainError(_(SIGNOFF_RUNS_OPEN).format(n=running))
    with transaction.atomic():
        current = lock(cycle)
        approval = project_services.approval_request(
            project=cycle.project,
            by=by,
            title=_("Test cycle sign-off: %(name)s") % {"name": cycle.name},
            target=current,
            approver=approver,
        )
        current.signoff = approval
        current.signoff_override_reason = ""
        current.version += 1
        current.save(update_fields=["signoff", "signoff_override_reason", "version", "updated_at"])
    return approval


@audited
def cycle_signoff_decide(
    *, cycle: Cycle, by, decision: str, comment: str = "", override: bool = False, override_reason: str = ""
) -> Cycle:
    """The sponsor's decision. Approving with open critical defects needs ``override`` and a reason."""
    require(by, cycle.project, C.APPROVE)
    with transaction.atomic():
        current = lock(cycle)
        approval = current.signoff
        if approval is None or approval.decision != Approval.Decision.PENDING:
            raise DomainError(_(SIGNOFF_NOT_REQUESTED))
        if decision == Approval.Decision.APPROVED:
            critical = open_critical_codes(current)
            if critical and not override:
                raise DomainError(
                    _(OPEN_CRITICAL_DEFECTS).format(n=len(critical), codes=", ".join(critical)), field="override"
                )
            if critical and not override_reason.strip():
                raise DomainError(_(OVERRIDE_REASON_REQUIRED), field="override_reason")
            if critical:
                current.signoff_override_reason = override_reason.strip()
            current.status = Cycle.Status.COMPLETED
        full_comment = comment
        if decision == Approval.Decision.APPROVED and current.signoff_override_reason:
            full_comment = (comment + "\n" if comment else "") + _("Override: %(reason)s") % {
                "reason": current.signoff_override_reason
            }
        # The cycle (with its override reason) is saved first: the Approval guard reads it.
        current.version += 1
        current.save(update_fields=["status", "signoff_override_reason", "version", "updated_at"])
        project_services.approval_decide(approval=approval, by=by, decision=decision, comment=full_comment)
    current.refresh_from_db()
    return current


def open_critical_codes(cycle: Cycle) -> list[str]:
    return list(cycle_open_defects(cycle).filter(severity=Defect.Severity.CRITICAL).values_list("code", flat=True))


def cycle_signoff_check(*, approval: Approval, by, decision: str, comment: str = "") -> None:
    """Refuse approving a cycle sign-off with open critical defects unless the cycle records an
    override reason, whatever door the decision came through (the generic approval pages and
    API call ``approval_decide``, which runs this check; see ``TestingConfig.ready``)."""
    if decision != Approval.Decision.APPROVED or approval.object_id is None:
        return
    cycle = cycle_for_approval(approval)
    if cycle is None or cycle.signoff_override_reason.strip():
        return
    critical = open_critical_codes(cycle)
    if critical:
        raise DomainError(_(OPEN_CRITICAL_DEFECTS).format(n=len(critical), codes=", ".join(critical)))


def cycle_for_approval(approval: Approval) -> Cycle | None:
    if approval.content_type_id is None or approval.content_type_id != ContentType.objects.get_for_model(Cycle).pk:
        return None
    return Cycle.objects.filter(pk=approval.object_id).first()
