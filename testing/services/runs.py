"""Executions: start a run (or a re-test), record its steps, finish it, attach evidence.

PARTICIPATE runs cases; who may run or record which run is ``testing.access`` (one rule,
also used by the pages to offer the actions).
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from erpimpl.errors import DomainError
from projects.audit import audited
from projects.roles import Capability, require
from projects.updating import lock
from testing.access import execute_refusal, record_refusal
from testing.models import Cycle, CycleCase, Evidence, Execution, StepResult, StepStatus
from testing.services.common import (
    CYCLE_COMPLETED,
    NO_SUCH_STEP,
    RUN_FINISHED,
    STEPS_NOT_RUN,
    check_not_signed_off,
    check_test_file,
)

C = Capability


@audited
def execution_start(*, cycle_case: CycleCase, by) -> Execution:
    """Start a run of the case (the first, or a re-test after a finished one).

    A run already in progress is returned as it is (starting twice is harmless). A planned
    cycle starts running with its first execution.
    """
    cycle = cycle_case.cycle
    require(by, cycle.project, C.PARTICIPATE)
    refusal = execute_refusal(by, cycle_case)
    if refusal:
        raise DomainError(refusal)
    check_not_signed_off(cycle)
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
    """PARTICIPATE (else 403), then ``testing.access.may_record`` (else a refusal on the form)."""
    require(by, execution.cycle.project, C.PARTICIPATE)
    refusal = record_refusal(by, execution)
    if refusal:
        raise DomainError(refusal)


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


@audited
def evidence_add(*, execution: Execution, by, file, step_order: int | None = None) -> Evidence:
    """Attach a file to a run (and to one of its steps). Finished runs accept evidence too."""
    _check_may_record(execution, by)
    checked = check_test_file(file)
    step_result = None
    if step_order is not None:
        step_result = execution.step_results.filter(order=step_order).first()
        if step_result is None:
            raise DomainError(_(NO_SUCH_STEP).format(n=step_order), field="step")  # both doors' field
    with transaction.atomic():
        evidence = Evidence(
            execution=execution,
            step_result=step_result,
            file=file,
            original_name=checked.name[:255],
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=by,
        )
        evidence.save()
    return evidence
