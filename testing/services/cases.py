"""Writes of test cases, cycles and their scope (which cases, run by whom). EDIT writes them."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from erpimpl.errors import DomainError
from projects.audit import audited
from projects.codes import next_codes
from projects.models import Project
from projects.roles import CLIENT_ROLES, Capability, can, require, role_of
from projects.updating import apply_update, lock
from testing.models import Case, CaseStep, Cycle, CycleCase
from testing.services.common import (
    ASSIGNEE_CANNOT_TEST,
    CASE_HAS_RUNS,
    CASE_IN_CYCLE_HAS_RUNS,
    CYCLE_HAS_RUNS,
    ILLEGAL_CYCLE_TRANSITION,
    NO_STEPS,
    STEP_INCOMPLETE,
    UAT_ASSIGNEE_NOT_CLIENT,
    check_links,
    check_member,
    check_not_signed_off,
    check_same_project,
)
from testing.transitions import CYCLE_TRANSITIONS

C = Capability

# --- test cases --------------------------------------------------------------------------

CASE_FIELDS = {"title", "type", "preconditions", "test_data", "owner", "requirements", "development_items"}


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


def _case_link_fields() -> set[str]:
    return {f.name for f in Case._meta.many_to_many}


@audited
def case_create(*, project: Project, by, title: str, steps, **fields) -> Case:
    """Create a test case with its ordered steps; the code (TC-001...) is given per project."""
    require(by, project, C.EDIT)
    check_member(project, fields.get("owner"), "owner")
    links = {name: fields.pop(name) for name in list(fields) if name in _case_link_fields()}
    check_links(project, links)
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
    check_member(case.project, changes.get("owner"), "owner")
    check_links(case.project, {k: v for k, v in changes.items() if k in _case_link_fields()})
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


# --- cycles ------------------------------------------------------------------------------

CYCLE_FIELDS = {"name", "type", "status", "environment", "planned_start", "planned_end"}


@audited
def cycle_create(*, project: Project, by, name: str, **fields) -> Cycle:
    require(by, project, C.EDIT)
    check_links(project, {k: v for k, v in fields.items() if k == "environment"})
    cycle = Cycle(project=project, name=name, **fields)
    cycle.full_clean()
    cycle.save()
    return cycle


@audited
def cycle_update(*, cycle: Cycle, by, version: int, **changes) -> Cycle:
    """Edit a cycle; a status change follows ``CYCLE_TRANSITIONS`` (and the capability it names)."""
    require(by, cycle.project, C.EDIT)
    check_not_signed_off(cycle)
    check_links(cycle.project, {k: v for k, v in changes.items() if k == "environment"})
    target = changes.get("status")
    if target and target != cycle.status:
        needed = CYCLE_TRANSITIONS.get(cycle.status, {}).get(target)
        if needed is None or not can(by, cycle.project, needed):
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


# --- scope and testers ---------------------------------------------------------------------


def _check_assignee(cycle: Cycle, assignee) -> None:
    if assignee is None:
        return
    check_member(cycle.project, assignee, "assignee")
    if not can(assignee, cycle.project, C.PARTICIPATE):
        raise DomainError(_(ASSIGNEE_CANNOT_TEST).format(user=assignee), field="assignee")
    if cycle.type == Case.Type.UAT and role_of(assignee, cycle.project) not in CLIENT_ROLES:
        raise DomainError(_(UAT_ASSIGNEE_NOT_CLIENT).format(user=assignee), field="assignee")


@audited
def cycle_add_cases(*, cycle: Cycle, by, cases, assignee=None) -> list[CycleCase]:
    """Put cases in the cycle's scope (already there: assignment updated). Returns the rows."""
    require(by, cycle.project, C.EDIT)
    check_not_signed_off(cycle)
    _check_assignee(cycle, assignee)
    for case in cases:
        check_same_project(cycle.project, case, _("test case"), "cases")
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
    check_not_signed_off(cycle)
    _check_assignee(cycle, assignee)
    cycle_case.assignee = assignee
    cycle_case.save(update_fields=["assignee", "updated_at"])
    return cycle_case


@audited
def cycle_case_remove(*, cycle_case: CycleCase, by) -> None:
    require(by, cycle_case.cycle.project, C.EDIT)
    check_not_signed_off(cycle_case.cycle)
    if cycle_case.executions.exists():
        raise DomainError(_(CASE_IN_CYCLE_HAS_RUNS).format(case=cycle_case.case.code))
    cycle_case.delete()
