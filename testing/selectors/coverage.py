"""The figures of the traceability matrix (``coverage``) and the readiness figures other apps
read (``testing_status``): counted in the database, a fixed few queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case as CaseWhen
from django.db.models import Count, Exists, OuterRef, Q, Value, When

from testing.models import Case, CaseType, Cycle, Defect, Execution
from testing.selectors.tracelinks import _links, _requirement_model, visible_sets
from testing.transitions import OPEN_DEFECT_STATUSES


def untested(*, user, project) -> list:
    """Conditions on a requirement (``Requirement.objects.filter(*untested(...))``): no test
    case of the matrix reaches it by the links ``traceability`` follows, that is no case
    linked to it, no case of an item linked to it, and no case of an item of one of its
    designs when that item names no requirement itself. (A case of an item of a directly
    linked case would need a direct case first.) Three anti-joins."""
    return _untested_in(visible_sets(user, project))


def _untested_in(seen: dict) -> list:
    """``untested``'s conditions over the cases, items and designs of ``seen``."""
    links = _links()
    through, case_col, item_col = links["case_item"]
    tested_items = through.objects.filter(**{f"{case_col}__in": seen["cases"]}).values(item_col)

    through, case_col, req_col = links["case_req"]
    direct = through.objects.filter(**{req_col: OuterRef("pk"), f"{case_col}__in": seen["cases"]})
    through, item_col, req_col = links["item_req"]
    via_item = through.objects.filter(
        **{req_col: OuterRef("pk"), f"{item_col}__in": seen["items"].filter(pk__in=tested_items)}
    )
    through, item_col, design_col = links["item_design"]
    tested_designs = through.objects.filter(
        **{f"{item_col}__in": seen["items"].filter(requirements__isnull=True, pk__in=tested_items)}
    ).values(design_col)
    through, design_col, req_col = links["design_req"]
    via_design = through.objects.filter(
        **{req_col: OuterRef("pk"), f"{design_col}__in": seen["designs"].filter(pk__in=tested_designs)}
    )
    return [~Exists(direct), ~Exists(via_item), ~Exists(via_design)]


@dataclass(frozen=True)
class Coverage:
    agreed_requirements: int
    agreed_without_test: int
    cases: int
    cases_not_run: int
    cases_failed: int
    cases_blocked: int
    cases_passed: int
    open_defects: int

    @property
    def agreed_covered_percent(self) -> int:
        if not self.agreed_requirements:
            return 0
        return round(100 * (self.agreed_requirements - self.agreed_without_test) / self.agreed_requirements)


def latest_finished(executions):
    """The executions of ``executions`` that are their case's latest finished run (no later
    finished run of the case among them): an anti-join, one pass over the executions."""
    later = executions.filter(case_id=OuterRef("case_id")).filter(
        Q(finished_at__gt=OuterRef("finished_at")) | Q(finished_at=OuterRef("finished_at"), pk__gt=OuterRef("pk"))
    )
    return executions.exclude(status=Execution.Status.IN_PROGRESS).filter(~Exists(later))


def _case_figures(cases, executions) -> dict[str, int]:
    """Cases, and how many of them last passed / failed / were blocked (two queries).

    ``executions`` are those of the cycles of the cases' project (a run's case is always a
    case of its cycle's project). A case whose runs are all still open, or that never ran,
    counts as not run."""
    total = cases.count()
    counted = (
        latest_finished(executions)
        .order_by()
        .aggregate(
            passed=Count("pk", filter=Q(status=Execution.Status.PASSED)),
            failed=Count("pk", filter=Q(status=Execution.Status.FAILED)),
            blocked=Count("pk", filter=Q(status=Execution.Status.BLOCKED)),
        )
    )
    return {"cases": total, "not_run": total - sum(counted.values()), **counted}


def coverage(*, user, project) -> Coverage:
    """Figures of the matrix: agreed requirements with no test, tests not run, failed."""
    Requirement = _requirement_model()
    agreed = Requirement.objects.visible_to(user).filter(project=project, status=Requirement.Status.AGREED)
    requirements = {
        "total": agreed.count(),
        "without": agreed.filter(*untested(user=user, project=project)).count(),
    }
    executions = Execution.objects.visible_to(user).filter(cycle__project=project)
    figures = _case_figures(Case.objects.visible_to(user).filter(project=project), executions)
    return Coverage(
        agreed_requirements=requirements["total"],
        agreed_without_test=requirements["without"],
        cases=figures["cases"],
        cases_not_run=figures["not_run"],
        cases_failed=figures["failed"],
        cases_blocked=figures["blocked"],
        cases_passed=figures["passed"],
        open_defects=Defect.objects.visible_to(user).filter(project=project, status__in=OPEN_DEFECT_STATUSES).count(),
    )


@dataclass(frozen=True)
class ReadinessFigures:
    """The testing facts a go-live readiness check needs, for one project (no user: jobs read it)."""

    uat_cycles: int
    uat_cycles_signed_off: int
    open_defects: int
    open_critical_defects: int
    cases: int
    cases_not_run: int
    cases_failed: int

    @property
    def uat_signed_off(self) -> bool:
        return self.uat_cycles > 0 and self.uat_cycles == self.uat_cycles_signed_off


def testing_status(*, project) -> ReadinessFigures:
    """Readiness figures of a project: UAT sign-offs, open (critical) defects, unrun and failed cases."""
    from projects.models import Approval

    uat = Cycle.objects.filter(project=project, type=CaseType.UAT).aggregate(
        total=Count("pk"), signed=Count("pk", filter=Q(signoff__decision=Approval.Decision.APPROVED))
    )
    defects = Defect.objects.filter(project=project, status__in=OPEN_DEFECT_STATUSES).aggregate(
        open=Count("pk"), critical=Count("pk", filter=Q(severity=Defect.Severity.CRITICAL))
    )
    figures = _case_figures(Case.objects.filter(project=project), Execution.objects.filter(cycle__project=project))
    return ReadinessFigures(
        uat_cycles=uat["total"],
        uat_cycles_signed_off=uat["signed"],
        open_defects=defects["open"],
        open_critical_defects=defects["critical"],
        cases=figures["cases"],
        cases_not_run=figures["not_run"],
        cases_failed=figures["failed"],
    )


# --- readiness figures with their evidence (public for golive: no user, jobs read them) ---
# ``testing_status`` gives a project's counts; these give the go-live rules the offending rows
# as well (querysets: the rule counts them and reads a page of evidence, never all of them).

#: Defect severities from the most severe down (``Defect.Severity`` is declared in that order).
SEVERITY_ORDER: tuple[str, ...] = tuple(Defect.Severity.values)


def severities_at_least(severity: str) -> list[str]:
    """``severity`` and every severity worse than it (``major`` → critical and major)."""
    return list(SEVERITY_ORDER[: SEVERITY_ORDER.index(severity) + 1])


def untested_for_readiness(*, project) -> list:
    """``untested``'s conditions for a job (no user): every case, item and design of the
    project counts, exactly as the traceability matrix of a firm member shows it."""
    from phases.design.models import ProcessDesign
    from phases.development.models import DevelopmentItem

    return _untested_in(
        {
            "cases": Case.objects.filter(project=project),
            "items": DevelopmentItem.objects.filter(project=project),
            "designs": ProcessDesign.objects.filter(project=project),
        }
    )


def cycles_not_signed_off_for_readiness(*, project, cycle_type: str = CaseType.UAT):
    """``(total, not_signed_off)``: how many cycles of ``cycle_type`` the project has, and those
    whose sign-off is not approved (never requested, pending or rejected), with their project."""
    from projects.models import Approval

    cycles = Cycle.objects.filter(project=project, type=cycle_type)
    waiting = (
        cycles.exclude(signoff__decision=Approval.Decision.APPROVED)
        .select_related("project", "signoff")
        .order_by("planned_start", "name", "pk")
    )
    return cycles.count(), waiting


@dataclass(frozen=True)
class PassRate:
    """The last finished run of each case in the cycles of one type: how many, how many passed,
    and the runs that did not pass (failed or blocked; a queryset with case and project)."""

    executed: int
    passed: int
    not_passed: object

    @property
    def percent(self) -> float | None:
        return 100 * self.passed / self.executed if self.executed else None


def pass_rate_for_readiness(*, project, cycle_type: str = CaseType.UAT) -> PassRate:
    """The pass rate of the latest finished execution of each case over the project's cycles of
    ``cycle_type`` (``latest_finished``: one anti-join, no query per case). A case still running
    or never run is not counted (it has no result yet)."""
    latest = latest_finished(Execution.objects.filter(cycle__project=project, cycle__type=cycle_type))
    counts = latest.order_by().aggregate(
        executed=Count("pk"), passed=Count("pk", filter=Q(status=Execution.Status.PASSED))
    )
    not_passed = (
        latest.exclude(status=Execution.Status.PASSED).select_related("case__project").order_by("case__code", "pk")
    )
    return PassRate(executed=counts["executed"], passed=counts["passed"], not_passed=not_passed)


def open_defects_for_readiness(*, project, severity: str = Defect.Severity.MAJOR):
    """``(testing_started, defects)``: whether the project has any test cycle or defect yet, and
    its open defects of ``severity`` or worse, most severe first (a queryset with project)."""
    started = Cycle.objects.filter(project=project).exists() or Defect.objects.filter(project=project).exists()
    severities = severities_at_least(severity)
    rank = CaseWhen(*[When(severity=value, then=Value(n)) for n, value in enumerate(severities)], default=Value(99))
    defects = (
        Defect.objects.filter(project=project, status__in=OPEN_DEFECT_STATUSES, severity__in=severities)
        .select_related("project")
        .order_by(rank, "code")
    )
    return started, defects
