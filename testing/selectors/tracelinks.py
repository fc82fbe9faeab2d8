"""The links of the traceability matrix, as ids: which designs, development items and test
cases belong to each requirement, and each case's latest result (``trace_index``).

The rule (kept exactly as before the matrix was made set-based):

- a requirement's designs: the (visible) process designs covering it;
- its development items: the items linked to it directly, the items of its designs that
  name no requirement themselves (otherwise one broad process design would cover
  everything), and the items of the test cases linked to it directly;
- its test cases: the cases linked to it directly and the cases testing any of its items;
- its open defects: those raised on any of its cases or items.

A case's result is its latest finished execution in any cycle of the project, "in progress"
while it only has open runs, or "not run". ``coverage.untested`` states the same rule as
SQL conditions for the figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connections
from django.db.models import F, OuterRef, Q, Subquery

from testing.models import Case, Execution

NOT_RUN = ("not_run", None)
EMPTY = frozenset()


def _requirement_model():
    from phases.discovery.models import Requirement

    return Requirement


def _through(m2m) -> tuple:
    """The through model of a many-to-many field and its (source, target) id columns."""
    f = m2m.field
    return f.remote_field.through, f.m2m_field_name() + "_id", f.m2m_reverse_field_name() + "_id"


def _links():
    from phases.design.models import ProcessDesign
    from phases.development.models import DevelopmentItem

    return {
        "case_req": _through(Case.requirements),
        "case_item": _through(Case.development_items),
        "item_req": _through(DevelopmentItem.requirements),
        "item_design": _through(DevelopmentItem.process_designs),
        "design_req": _through(ProcessDesign.requirements),
    }


def visible_sets(user, project) -> dict:
    """The rows the matrix may show: querysets used as subqueries (never evaluated whole)."""
    from phases.design.models import ProcessDesign
    from phases.development.models import DevelopmentItem

    return {
        "cases": Case.objects.visible_to(user).filter(project=project),
        "items": DevelopmentItem.objects.visible_to(user).filter(project=project),
        "designs": ProcessDesign.objects.visible_to(user),
    }


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


def coverage_of(results) -> str:
    """The coverage of a requirement from its cases' results (an iterable of result keys)."""
    results = results if isinstance(results, set) else set(results)
    if not results:
        return "no_test"
    if results & {"failed", "blocked"}:
        return "failed"
    if results == {"passed"}:
        return "passed"
    if results <= {"not_run"}:
        return "not_run"
    return "in_progress"


# --- latest results ---------------------------------------------------------------------


def latest_per_case(executions):
    """One execution per case of ``executions``: its latest finished one, else an open one.

    One query: ``DISTINCT ON (case_id)`` on PostgreSQL, a correlated subquery elsewhere. Open
    runs have no ``finished_at`` (a constraint), so "finished first, newest first" is
    ``finished_at DESC NULLS LAST, id DESC``.
    """
    order = (F("finished_at").desc(nulls_last=True), F("pk").desc())
    if connections[executions.db].vendor == "postgresql":
        return executions.order_by("case_id", *order).distinct("case_id")
    latest = executions.filter(case_id=OuterRef("case_id")).order_by(*order).values("pk")[:1]
    return executions.filter(pk=Subquery(latest))


def project_executions(project, user=None):
    """The executions of the project's cycles (those ``user`` may see, when given)."""
    qs = Execution.objects.visible_to(user) if user is not None else Execution.objects.all()
    return qs.filter(cycle__project=project)


def case_results(*, project, user, case_ids=None) -> dict[int, tuple[str, object]]:
    """Each visible case's latest result in any cycle: (status, finished_at), in one query.

    ``status`` is ``in_progress`` (with no date) for a case whose only runs are open; a case
    with no run is absent (read it as ``NOT_RUN``). ``case_ids`` narrows to those cases.
    """
    executions = project_executions(project, user)
    if case_ids is not None:
        executions = executions.filter(case_id__in=list(case_ids))
    rows = latest_per_case(executions).values_list("case_id", "status", "finished_at")
    return {case_id: (status, finished_at) for case_id, status, finished_at in rows}


# --- the links, as ids ------------------------------------------------------------------


@dataclass
class TraceIndex:
    """The matrix without its objects: per requirement id, the ids of its designs, items and
    cases; per case id, its latest result."""

    designs: dict[int, set[int]]
    items: dict[int, set[int]]
    cases: dict[int, set[int]]
    results: dict[int, tuple[str, object]]

    def coverage(self, requirement_id: int) -> str:
        results = self.results
        return coverage_of(
            {results[c][0] if c in results else "not_run" for c in self.cases.get(requirement_id, EMPTY)}
        )


def _pairs(qs, source: str, target: str) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for a, b in qs.values_list(source, target):
        found[a].add(b)
    return found


def trace_index(*, user, project, requirements) -> TraceIndex:
    """Designs, items, cases and results of ``requirements``, from ids only (six queries).

    ``requirements`` is a list of requirement ids (a page) or a queryset of requirements
    (every requirement of a filtered matrix: then the case ↔ item links and the results of
    the whole project are read, still as ids).
    """
    links = _links()
    seen = visible_sets(user, project)
    by_ids = isinstance(requirements, list | tuple | set)
    reqs = list(requirements) if by_ids else requirements.values("pk")

    through, case_col, req_col = links["case_req"]
    direct = _pairs(
        through.objects.filter(**{f"{req_col}__in": reqs, f"{case_col}__in": seen["cases"]}), req_col, case_col
    )
    through, item_col, req_col = links["item_req"]
    items = _pairs(
        through.objects.filter(**{f"{req_col}__in": reqs, f"{item_col}__in": seen["items"]}), req_col, item_col
    )
    through, design_col, req_col = links["design_req"]
    design_links = through.objects.filter(**{f"{req_col}__in": reqs, f"{design_col}__in": seen["designs"]})
    designs = _pairs(design_links, req_col, design_col)
    through, item_col, d_col = links["item_design"]
    unlinked_items = seen["items"].filter(requirements__isnull=True)
    design_items = _pairs(
        through.objects.filter(**{f"{d_col}__in": design_links.values(design_col), f"{item_col}__in": unlinked_items}),
        d_col,
        item_col,
    )

    through, case_col, item_col = links["case_item"]
    case_items = through.objects.filter(**{f"{case_col}__in": seen["cases"], f"{item_col}__in": seen["items"]})
    if by_ids:  # only the links of this page's items and of its direct cases' items
        reached = set().union(*items.values(), *design_items.values())
        direct_cases = set().union(*direct.values())
        of_direct = through.objects.filter(**{f"{case_col}__in": direct_cases}).values(item_col)
        case_items = case_items.filter(Q(**{f"{item_col}__in": reached}) | Q(**{f"{item_col}__in": of_direct}))
    items_of_case: dict[int, set[int]] = defaultdict(set)
    cases_of_item: dict[int, set[int]] = defaultdict(set)
    for case_id, item_id in case_items.values_list(case_col, item_col):
        items_of_case[case_id].add(item_id)
        cases_of_item[item_id].add(case_id)

    all_items: dict[int, set[int]] = {}
    all_cases: dict[int, set[int]] = {}
    for req_id in direct.keys() | items.keys() | designs.keys():
        mine = set(items.get(req_id, EMPTY))
        for design_id in designs.get(req_id, EMPTY):
            mine.update(design_items.get(design_id, EMPTY))
        cases = set(direct.get(req_id, EMPTY))
        for case_id in cases:
            mine.update(items_of_case.get(case_id, EMPTY))
        for item_id in mine:
            cases.update(cases_of_item.get(item_id, EMPTY))
        all_items[req_id], all_cases[req_id] = mine, cases
    case_ids = set().union(*all_cases.values()) if by_ids else None
    results = case_results(project=project, user=user, case_ids=case_ids) if case_ids != set() else {}
    return TraceIndex(designs=dict(designs), items=all_items, cases=all_cases, results=results)
