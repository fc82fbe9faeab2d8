"""Traceability (requirement → design → development item → test case → result → defects),
its coverage figures, and the readiness figures other apps read (``testing_status``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from testing.models import Case, CaseType, Cycle, Defect, Execution
from testing.transitions import OPEN_DEFECT_STATUSES


def _requirement_model():
    from phases.discovery.models import Requirement

    return Requirement


def _m2m_to(model, target) -> str | None:
    """The name of ``model``'s many-to-many field pointing at ``target``, if it has one."""
    for f in model._meta.many_to_many:
        if f.related_model is target:
            return f.name
    return None


@dataclass
class CaseTrace:
    case: Case
    result: str  # passed / failed / blocked / in_progress / not_run
    result_label: str
    executed_at: object = None


@dataclass
class TraceRow:
    requirement: object
    designs: list = field(default_factory=list)
    items: list = field(default_factory=list)
    cases: list[CaseTrace] = field(default_factory=list)
    open_defects: list = field(default_factory=list)

    @property
    def coverage(self) -> str:
        results = {c.result for c in self.cases}
        if not self.cases:
            return "no_test"
        if results & {"failed", "blocked"}:
            return "failed"
        if results == {"passed"}:
            return "passed"
        if results <= {"not_run"}:
            return "not_run"
        return "in_progress"


COVERAGE_LABELS = {
    "no_test": "No test",
    "not_run": "Not run",
    "in_progress": "Partly run",
    "failed": "Failed",
    "passed": "Passed",
}

RESULT_LABELS = {
    "passed": "Passed",
    "failed": "Failed",
    "blocked": "Blocked",
    "in_progress": "In progress",
    "not_run": "Not run",
}


def case_results(*, project, user) -> dict[int, tuple[str, object]]:
    """Each visible case's latest result in any cycle: (status, finished_at)."""
    latest: dict[int, tuple[str, object]] = {}
    in_progress: set[int] = set()
    qs = (
        Execution.objects.visible_to(user)
        .filter(cycle__project=project)
        .order_by("case_id", "-finished_at", "-pk")
        .values_list("case_id", "status", "finished_at")
    )
    for case_id, status, finished_at in qs:
        if status == Execution.Status.IN_PROGRESS:
            in_progress.add(case_id)
            continue
        latest.setdefault(case_id, (status, finished_at))
    for case_id in in_progress - set(latest):
        latest[case_id] = ("in_progress", None)
    return latest


def traceability(*, user, project, filters: dict | None = None) -> list[TraceRow]:
    """Requirement → design → development item → test case → latest result → open defects.

    Development items of a requirement are those linked to it directly (when the
    development app links them) and those tested by a case covering the requirement.
    ``filters``: ``status`` (requirement statuses), ``business_area``, ``coverage``, ``q``.
    """
    from phases.design.models import ProcessDesign
    from phases.development.models import DevelopmentItem

    Requirement = _requirement_model()
    filters = filters or {}
    reqs = Requirement.objects.visible_to(user).filter(project=project).order_by("code")
    statuses = [s for s in _as_list(filters.get("status")) if s]
    if statuses:
        reqs = reqs.filter(status__in=statuses)
    if filters.get("business_area"):
        reqs = reqs.filter(business_area=filters["business_area"])
    if filters.get("q"):
        reqs = reqs.filter(Q(code__icontains=filters["q"]) | Q(title__icontains=filters["q"]))
    reqs = list(reqs.prefetch_related(Prefetch("process_designs", queryset=ProcessDesign.objects.visible_to(user))))

    item_req_field = _m2m_to(DevelopmentItem, Requirement)
    item_design_field = _m2m_to(DevelopmentItem, ProcessDesign)
    items_by_req: dict[int, dict[int, object]] = defaultdict(dict)
    visible_items = DevelopmentItem.objects.visible_to(user).filter(project=project)
    if item_req_field:
        for item in (
            visible_items.filter(**{f"{item_req_field}__isnull": False}).distinct().prefetch_related(item_req_field)
        ):
            for req in getattr(item, item_req_field).all():
                items_by_req[req.pk][item.pk] = item
    # An item reached through a design counts for the design's requirements only when it names
    # no requirement itself (otherwise one broad process design would cover everything).
    design_items: dict[int, dict[int, object]] = defaultdict(dict)
    if item_design_field:
        via_design = visible_items.filter(**{f"{item_design_field}__isnull": False})
        if item_req_field:
            via_design = via_design.filter(**{f"{item_req_field}__isnull": True})
        for item in via_design.distinct().prefetch_related(item_design_field):
            for design in getattr(item, item_design_field).all():
                design_items[design.pk][item.pk] = item

    cases = list(
        Case.objects.visible_to(user)
        .filter(project=project)
        .prefetch_related("requirements", Prefetch("development_items", queryset=visible_items))
        .order_by("code")
    )
    results = case_results(project=project, user=user)
    cases_by_req: dict[int, dict[int, Case]] = defaultdict(dict)
    cases_by_item: dict[int, dict[int, Case]] = defaultdict(dict)
    for case in cases:
        for req in case.requirements.all():
            cases_by_req[req.pk][case.pk] = case
        for item in case.development_items.all():
            cases_by_item[item.pk][case.pk] = case

    open_defects = list(
        Defect.objects.visible_to(user)
        .filter(project=project, status__in=OPEN_DEFECT_STATUSES)
        .only("pk", "code", "title", "severity", "status", "case_id", "development_item_id", "project_id")
        .order_by("code")
    )
    defects_by_case: dict[int, list] = defaultdict(list)
    defects_by_item: dict[int, list] = defaultdict(list)
    for defect in open_defects:
        if defect.case_id:
            defects_by_case[defect.case_id].append(defect)
        if defect.development_item_id:
            defects_by_item[defect.development_item_id].append(defect)

    rows = []
    for req in reqs:
        designs = list(req.process_designs.all())
        items = dict(items_by_req.get(req.pk, {}))
        for design in designs:
            items.update(design_items.get(design.pk, {}))
        req_cases = dict(cases_by_req.get(req.pk, {}))
        for case in req_cases.values():
            for item in case.development_items.all():
                items.setdefault(item.pk, item)
        for item_pk in items:
            req_cases.update(cases_by_item.get(item_pk, {}))
        traces = []
        for case in sorted(req_cases.values(), key=lambda c: c.code):
            status, when = results.get(case.pk, ("not_run", None))
            traces.append(CaseTrace(case=case, result=status, result_label=_(RESULT_LABELS[status]), executed_at=when))
        defects = {}
        for case in req_cases.values():
            for defect in defects_by_case.get(case.pk, ()):
                defects[defect.pk] = defect
        for item_pk in items:
            for defect in defects_by_item.get(item_pk, ()):
                defects[defect.pk] = defect
        rows.append(
            TraceRow(
                requirement=req,
                designs=designs,
                items=sorted(items.values(), key=lambda i: i.code),
                cases=traces,
                open_defects=sorted(defects.values(), key=lambda d: d.code),
            )
        )
    coverage = filters.get("coverage")
    if coverage:
        rows = [row for row in rows if row.coverage == coverage]
    return rows


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


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


def coverage(*, user, project) -> Coverage:
    """Figures of the matrix: agreed requirements with no test, tests not run, failed."""
    Requirement = _requirement_model()
    agreed = Requirement.objects.visible_to(user).filter(project=project, status=Requirement.Status.AGREED)
    rows = traceability(user=user, project=project, filters={"status": [Requirement.Status.AGREED]})
    without = sum(1 for row in rows if not row.cases)
    case_ids = list(Case.objects.visible_to(user).filter(project=project).values_list("pk", flat=True))
    results = case_results(project=project, user=user)
    statuses = [results.get(pk, ("not_run", None))[0] for pk in case_ids]
    return Coverage(
        agreed_requirements=agreed.count(),
        agreed_without_test=without,
        cases=len(case_ids),
        cases_not_run=sum(1 for s in statuses if s in ("not_run", "in_progress")),
        cases_failed=statuses.count("failed"),
        cases_blocked=statuses.count("blocked"),
        cases_passed=statuses.count("passed"),
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

    uat = Cycle.objects.filter(project=project, type=CaseType.UAT)
    open_defects = Defect.objects.filter(project=project, status__in=OPEN_DEFECT_STATUSES)
    latest: dict[int, str] = {}
    for case_id, status in (
        Execution.objects.filter(cycle__project=project)
        .exclude(status=Execution.Status.IN_PROGRESS)
        .order_by("case_id", "-finished_at", "-pk")
        .values_list("case_id", "status")
    ):
        latest.setdefault(case_id, status)
    case_ids = list(Case.objects.filter(project=project).values_list("pk", flat=True))
    return ReadinessFigures(
        uat_cycles=uat.count(),
        uat_cycles_signed_off=uat.filter(signoff__decision=Approval.Decision.APPROVED).count(),
        open_defects=open_defects.count(),
        open_critical_defects=open_defects.filter(severity=Defect.Severity.CRITICAL).count(),
        cases=len(case_ids),
        cases_not_run=sum(1 for pk in case_ids if pk not in latest),
        cases_failed=sum(1 for pk in case_ids if latest.get(pk) == Execution.Status.FAILED),
    )
