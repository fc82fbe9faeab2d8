"""Read queries of the testing app, shared by dashboard, portal, API and other apps.

Public for other apps (e.g. ``golive`` readiness checks): ``testing_status`` (no user: for
jobs), ``defect_list``, ``cycle_list``, ``traceability`` and ``coverage``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from testing.models import (
    Case,
    CaseStep,
    CaseType,
    Cycle,
    CycleCase,
    Defect,
    Evidence,
    Execution,
    LoadTestResult,
    StepResult,
)
from testing.transitions import OPEN_DEFECT_STATUSES


def _filtered(qs, filterset_class, filters, request):
    if filters is None:
        return qs
    return filterset_class(filters, queryset=qs, request=request).qs


# --- lists and details -------------------------------------------------------------------


def case_list(*, user, filters=None, request=None):
    from testing.filters import CaseFilterSet

    qs = (
        Case.objects.visible_to(user)
        .select_related("project", "owner")
        .prefetch_related(
            Prefetch("steps", queryset=CaseStep.objects.order_by("order")), "requirements", "development_items"
        )
    )
    return _filtered(qs, CaseFilterSet, filters, request)


def case_get(*, user, pk: int, project=None) -> Case:
    qs = case_list(user=user)
    return get_object_or_404(qs.filter(project=project) if project else qs, pk=pk)


def cycle_list(*, user, filters=None, request=None):
    from testing.filters import CycleFilterSet

    qs = (
        Cycle.objects.visible_to(user)
        .select_related("project", "environment", "signoff")
        .annotate(case_count=Count("cycle_cases", distinct=True))
        .order_by("project", "-planned_start", "name", "pk")
    )
    return _filtered(qs, CycleFilterSet, filters, request)


def cycle_get(*, user, pk: int, project=None) -> Cycle:
    qs = cycle_list(user=user)
    return get_object_or_404(qs.filter(project=project) if project else qs, pk=pk)


def cycle_case_list(*, user, filters=None, request=None):
    from testing.filters import CycleCaseFilterSet

    qs = CycleCase.objects.visible_to(user).select_related("cycle__project", "case", "assignee")
    return _filtered(qs, CycleCaseFilterSet, filters, request)


def execution_list(*, user, filters=None, request=None):
    from testing.filters import ExecutionFilterSet

    qs = (
        Execution.objects.visible_to(user)
        .select_related("cycle__project", "case", "tester", "cycle_case")
        .prefetch_related(
            Prefetch("step_results", queryset=StepResult.objects.order_by("order")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("step_result", "uploaded_by").order_by("created_at"),
            ),
        )
    )
    return _filtered(qs, ExecutionFilterSet, filters, request)


def execution_get(*, user, pk: int, project=None) -> Execution:
    qs = execution_list(user=user)
    return get_object_or_404(qs.filter(cycle__project=project) if project else qs, pk=pk)


def defect_list(*, user, filters=None, request=None):
    from testing.filters import DefectFilterSet

    qs = Defect.objects.visible_to(user).select_related(
        "project",
        "assignee",
        "reported_by",
        "case",
        "cycle",
        "execution",
        "step_result",
        "environment",
        "development_item",
    )
    return _filtered(qs, DefectFilterSet, filters, request)


def defect_get(*, user, pk: int, project=None) -> Defect:
    qs = defect_list(user=user).prefetch_related("comments__author")
    return get_object_or_404(qs.filter(project=project) if project else qs, pk=pk)


def load_result_list(*, user, filters=None, request=None):
    from testing.filters import LoadTestResultFilterSet

    qs = LoadTestResult.objects.visible_to(user).select_related("project", "case", "cycle", "recorded_by")
    return _filtered(qs, LoadTestResultFilterSet, filters, request)


def evidence_get(*, user, pk: int, project) -> Evidence:
    qs = Evidence.objects.visible_to(user).select_related("execution__cycle")
    return get_object_or_404(qs.filter(execution__cycle__project=project), pk=pk)


def latest_executions(cycle: Cycle) -> dict[int, Execution]:
    """The latest run of each cycle case (by run number), keyed by cycle-case id."""
    latest: dict[int, Execution] = {}
    for execution in cycle.executions.select_related("tester").order_by("cycle_case_id", "-run"):
        latest.setdefault(execution.cycle_case_id, execution)
    return latest


def assigned_cases(*, user, project):
    """The cases of running or planned cycles assigned to the user (the portal's UAT list)."""
    return (
        CycleCase.objects.visible_to(user)
        .filter(cycle__project=project, assignee=user)
        .select_related("cycle", "case", "cycle__signoff")
        .order_by("cycle__planned_start", "cycle__name", "order")
    )


# --- cycle summary and charts -----------------------------------------------------------

RESULT_ORDER = ["passed", "failed", "blocked", "not_run"]
RESULT_COLOURS = {"passed": "#198754", "failed": "#dc3545", "blocked": "#fd7e14", "not_run": "#adb5bd"}


def _day(dt) -> date:
    return timezone.localtime(dt).date()


def cycle_status_counts(cycle: Cycle) -> dict[str, int]:
    """Each in-scope case by its latest finished result; never run (or only in progress) = not run."""
    finished: dict[int, tuple] = {}
    for cc_id, status, _finished_at, run in cycle.executions.exclude(status=Execution.Status.IN_PROGRESS).values_list(
        "cycle_case_id", "status", "finished_at", "run"
    ):
        if cc_id not in finished or run > finished[cc_id][1]:
            finished[cc_id] = (status, run)
    counts = Counter({key: 0 for key in RESULT_ORDER})
    for cc_id in cycle.cycle_cases.values_list("pk", flat=True):
        counts[finished[cc_id][0] if cc_id in finished else "not_run"] += 1
    return dict(counts)


def _chart_days(cycle: Cycle, first_event: date | None) -> list[date]:
    today = timezone.localdate()
    start = min(d for d in (cycle.planned_start, first_event, today) if d is not None)
    end = today if cycle.planned_end is None else min(max(cycle.planned_end, first_event or start), today)
    end = max(end, start)
    if (end - start).days > 120:  # keep the chart readable: the last four months
        start = end - timedelta(days=120)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def execution_progress_chart(cycle: Cycle) -> dict:
    """Chart.js data: per day, the in-scope cases by latest result at the end of that day."""
    scope = list(cycle.cycle_cases.values_list("pk", flat=True))
    runs = list(
        cycle.executions.exclude(status=Execution.Status.IN_PROGRESS)
        .order_by("finished_at", "run")
        .values_list("cycle_case_id", "status", "finished_at")
    )
    days = _chart_days(cycle, _day(runs[0][2]) if runs else None)
    state: dict[int, str] = {}
    series = {key: [] for key in RESULT_ORDER}
    index = 0
    for day in days:
        while index < len(runs) and _day(runs[index][2]) <= day:
            state[runs[index][0]] = runs[index][1]
            index += 1
        counts = Counter(state.get(cc, "not_run") for cc in scope)
        for key in RESULT_ORDER:
            series[key].append(counts.get(key, 0))
    labels = {"passed": _("Passed"), "failed": _("Failed"), "blocked": _("Blocked"), "not_run": _("Not run")}
    return {
        "labels": [d.isoformat() for d in days],
        "datasets": [
            {
                "label": labels[key],
                "data": series[key],
                "borderColor": RESULT_COLOURS[key],
                "backgroundColor": RESULT_COLOURS[key],
                "tension": 0.2,
            }
            for key in RESULT_ORDER
        ],
    }


def defect_trend_chart(cycle: Cycle) -> dict:
    """Chart.js data: defects of the cycle opened and closed per day, and how many stay open."""
    rows = list(cycle.defects.values_list("created_at", "resolved_at"))
    opened = Counter(_day(created) for created, _resolved in rows)
    closed = Counter(_day(resolved) for _created, resolved in rows if resolved)
    first = min(opened) if opened else None
    days = _chart_days(cycle, first)
    still_open, open_series = 0, []
    before = days[0] if days else None
    for created, resolved in rows:
        if before and _day(created) < before and not (resolved and _day(resolved) < before):
            still_open += 1
    for day in days:
        still_open += opened.get(day, 0) - closed.get(day, 0)
        open_series.append(still_open)
    return {
        "labels": [d.isoformat() for d in days],
        "datasets": [
            {
                "label": _("Opened"),
                "data": [opened.get(d, 0) for d in days],
                "borderColor": "#dc3545",
                "backgroundColor": "#dc3545",
            },
            {
                "label": _("Closed"),
                "data": [closed.get(d, 0) for d in days],
                "borderColor": "#198754",
                "backgroundColor": "#198754",
            },
            {
                "label": _("Unresolved at end of day"),
                "data": open_series,
                "borderColor": "#6c757d",
                "backgroundColor": "#6c757d",
                "borderDash": [4, 4],
            },
        ],
    }


# --- traceability ------------------------------------------------------------------------


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
