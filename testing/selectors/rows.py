"""Lists and details of the testing app, scoped to the user (``visible_to``) before anything.

Every ``<entity>_get(*, user, project, pk)`` is ``get_in_project(<entity>_list(user=...))``:
another project's row, or one that does not exist, is a 404 (``project=None`` for the API's
detail lookups, already narrowed to the caller's projects).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from phases.development.models import DevelopmentItem, Environment
from projects.selectors import get_in_project
from testing.models import (
    Case,
    CaseStep,
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


# --- test cases --------------------------------------------------------------------------


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


def case_get(*, user, project, pk: int) -> Case:
    return get_in_project(case_list(user=user), project=project, pk=pk)


# --- cycles and their scope -----------------------------------------------------------------


def cycle_list(*, user, filters=None, request=None):
    from testing.filters import CycleFilterSet

    qs = (
        Cycle.objects.visible_to(user)
        .select_related("project", "environment", "signoff")
        .annotate(case_count=Count("cycle_cases", distinct=True))
        .order_by("project", "-planned_start", "name", "pk")
    )
    return _filtered(qs, CycleFilterSet, filters, request)


def cycle_get(*, user, project, pk: int) -> Cycle:
    return get_in_project(cycle_list(user=user), project=project, pk=pk)


def cycle_case_list(*, user, filters=None, request=None):
    from testing.filters import CycleCaseFilterSet

    qs = CycleCase.objects.visible_to(user).select_related("cycle__project", "cycle__signoff", "case", "assignee")
    return _filtered(qs, CycleCaseFilterSet, filters, request)


def cycle_case_get(*, user, project, pk: int, cycle: Cycle | None = None) -> CycleCase:
    """A case in a cycle's scope (of ``cycle`` when given), or 404."""
    qs = cycle_case_list(user=user)
    return get_in_project(qs.filter(cycle=cycle) if cycle is not None else qs, project=project, pk=pk)


def cycle_case_of(*, cycle: Cycle, case: Case) -> CycleCase | None:
    """The scope row of ``case`` in ``cycle``, if the case is in the cycle's scope."""
    return CycleCase.objects.filter(cycle=cycle, case=case).select_related("cycle__project", "case", "assignee").first()


def latest_run(field: str, *, finished: bool = False, case_ref: str = "pk") -> Subquery:
    """``field`` of the latest run (by run number) of the cycle case ``OuterRef(case_ref)``.

    One correlated subquery on the (cycle case, run) unique index: a page annotates its rows
    with their latest result instead of loading every run of the cycle.
    """
    runs = Execution.objects.filter(cycle_case=OuterRef(case_ref))
    if finished:
        runs = runs.exclude(status=Execution.Status.IN_PROGRESS)
    return Subquery(runs.order_by("-run").values(field)[:1])


def cycle_scope(cycle: Cycle, *, filters=None, request=None):
    """The cases in the cycle's scope, each with its latest run: ``latest_id``, ``latest_run``
    and ``latest_status`` (``"not_run"`` when never run), filterable (``ScopeFilterSet``)."""
    from testing.filters import ScopeFilterSet

    qs = (
        cycle.cycle_cases.select_related("case", "assignee")
        .annotate(
            latest_id=latest_run("pk"),
            latest_run=latest_run("run"),
            latest_status=Coalesce(latest_run("status"), Value("not_run")),
        )
        .order_by("order", "case__code", "pk")
    )
    return _filtered(qs, ScopeFilterSet, filters, request)


def assigned_cases(*, user, project):
    """The cases assigned to the user (the portal's UAT list), each with its latest run
    (``latest_id``, ``latest_run``, ``latest_status`` as in ``cycle_scope``)."""
    return (
        cycle_case_list(user=user)
        .filter(cycle__project=project, assignee=user)
        .annotate(
            latest_id=latest_run("pk"),
            latest_run=latest_run("run"),
            latest_status=Coalesce(latest_run("status"), Value("not_run")),
        )
        .order_by("cycle__planned_start", "cycle__name", "order", "pk")
    )


# --- executions and evidence ------------------------------------------------------------


def execution_list(*, user, filters=None, request=None):
    from testing.filters import ExecutionFilterSet

    qs = (
        Execution.objects.visible_to(user)
        .select_related("cycle__project", "cycle__signoff", "cycle__environment", "case", "tester", "cycle_case")
        .prefetch_related(
            Prefetch("step_results", queryset=StepResult.objects.order_by("order")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("step_result", "uploaded_by").order_by("created_at"),
            ),
        )
    )
    return _filtered(qs, ExecutionFilterSet, filters, request)


def execution_get(*, user, project, pk: int) -> Execution:
    return get_in_project(execution_list(user=user), project=project, pk=pk)


def step_result_get(*, execution: Execution, order: int | None = None, pk: int | None = None) -> StepResult:
    """A step result of this run, by its order or its id; 404 when the run has no such step."""
    lookup = {"order": order} if order is not None else {"pk": pk}
    return get_object_or_404(StepResult.objects.filter(execution=execution), **lookup)


def evidence_list(*, user):
    return Evidence.objects.visible_to(user).select_related("execution__cycle__project", "step_result")


def evidence_get(*, user, project, pk: int) -> Evidence:
    return get_in_project(evidence_list(user=user), project=project, pk=pk)


# --- defects -----------------------------------------------------------------------------


_DEFECT_LIST_REFERENCES = (
    Prefetch("case", queryset=Case.objects.only("id", "code", "title")),
    Prefetch("step_result", queryset=StepResult.objects.only("id", "order")),
    Prefetch("environment", queryset=Environment.objects.only("id", "name")),
    Prefetch("development_item", queryset=DevelopmentItem.objects.only("id", "code", "title")),
)


def defect_list(*, user, filters=None, request=None, details=False):
    """The user's defects. ``details``: with their comments and the evidence of the step each
    was raised from (only the evidence the user may see), for the defect page and the API."""
    from testing.filters import DefectFilterSet

    # People and project joined; the other references fetched by id in small queries of their
    # own: a ten-table join took PostgreSQL longer to plan (40 ms) than to run. A list reads
    # only what it shows of them (the API list has the cycle and the run as ids).
    qs = Defect.objects.visible_to(user).select_related("project", "assignee", "reported_by")
    if not details:
        return _filtered(qs.prefetch_related(*_DEFECT_LIST_REFERENCES), DefectFilterSet, filters, request)
    qs = qs.prefetch_related(
        "case",
        "cycle",
        "execution",
        "step_result",
        "environment",
        "development_item",
        "comments__author",
        Prefetch(
            "step_result__evidence",
            queryset=Evidence.objects.visible_to(user).select_related("uploaded_by").order_by("created_at", "pk"),
            to_attr="visible_evidence",
        ),
    )
    return _filtered(qs, DefectFilterSet, filters, request)


def defect_get(*, user, project, pk: int) -> Defect:
    return get_in_project(defect_list(user=user, details=True), project=project, pk=pk)


def step_evidence(*, user, step_result: StepResult) -> list[Evidence]:
    """The evidence files of a step the user may see (prefetched by ``defect_list(details=True)``)."""
    prefetched = getattr(step_result, "visible_evidence", None)
    if prefetched is not None:
        return prefetched
    return list(
        Evidence.objects.visible_to(user)
        .filter(step_result=step_result)
        .select_related("uploaded_by")
        .order_by("created_at", "pk")
    )


def defects_of_tester(*, user, project):
    """Defects the user raised, or raised on runs of cases assigned to them (the portal's list)."""
    return (
        defect_list(user=user)
        .prefetch_related(Prefetch("execution", queryset=Execution.objects.only("id", "run")))
        .filter(project=project)
        .filter(Q(reported_by=user) | Q(execution__cycle_case__assignee=user))
        .distinct()
    )


def cycle_open_defects(cycle: Cycle):
    """Open defects of the cycle: raised in it, or on one of its cases without a cycle."""
    case_ids = cycle.cycle_cases.values("case_id")
    return (
        Defect.objects.filter(project_id=cycle.project_id, status__in=OPEN_DEFECT_STATUSES)
        .filter(Q(cycle=cycle) | Q(cycle__isnull=True, case_id__in=case_ids))
        .select_related("project", "assignee", "case")
        .order_by("severity", "code")
    )


def open_critical_codes(cycle: Cycle) -> list[str]:
    return list(cycle_open_defects(cycle).filter(severity=Defect.Severity.CRITICAL).values_list("code", flat=True))


def cycle_for_approval(approval) -> Cycle | None:
    """The cycle a sign-off (``projects.Approval``) is about, if it is about a cycle."""
    if approval.content_type_id is None or approval.content_type_id != ContentType.objects.get_for_model(Cycle).pk:
        return None
    return Cycle.objects.filter(pk=approval.object_id).first()


# --- load tests --------------------------------------------------------------------------


def load_result_list(*, user, filters=None, request=None):
    from testing.filters import LoadTestResultFilterSet

    qs = LoadTestResult.objects.visible_to(user).select_related("project", "case", "cycle", "recorded_by")
    return _filtered(qs, LoadTestResultFilterSet, filters, request)


def load_result_get(*, user, project, pk: int) -> LoadTestResult:
    return get_in_project(load_result_list(user=user), project=project, pk=pk)
