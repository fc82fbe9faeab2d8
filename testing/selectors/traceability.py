"""Traceability: requirement → design → development item → test case → latest result → open defects.

The links come as ids from ``tracelinks.trace_index`` (six queries whatever the size; the
rule is written there). A page or an API page then loads the objects of its own
requirements in five more queries (``TraceMatrix.rows``); the export reads the texts of the
whole matrix once and writes it ``CHUNK_SIZE`` requirements at a time (``TraceMatrix.lines``).
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from testing.models import Case, Defect
from testing.selectors.tracelinks import (
    COVERAGE_LABELS,
    NOT_RUN,
    RESULT_LABELS,
    TraceIndex,
    _requirement_model,
    case_results,
    coverage_of,
    trace_index,
    visible_sets,
)
from testing.transitions import OPEN_DEFECT_STATUSES

__all__ = [
    "CHUNK_SIZE",
    "COVERAGE_LABELS",
    "RESULT_LABELS",
    "CaseTrace",
    "TraceMatrix",
    "TraceRow",
    "case_results",
    "requirement_rows",
    "traceability",
    "traceability_matrix",
]

#: Requirements per chunk of the export.
CHUNK_SIZE = 2000


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
        return coverage_of(c.result for c in self.cases)


# --- the matrix -------------------------------------------------------------------------


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def requirement_rows(*, user, project, filters: dict | None = None):
    """The project's visible requirements narrowed by ``status`` (one or several),
    ``business_area`` and ``q`` (code or title), ordered by code."""
    Requirement = _requirement_model()
    filters = filters or {}
    reqs = Requirement.objects.visible_to(user).filter(project=project).order_by("code", "pk")
    statuses = [s for s in _as_list(filters.get("status")) if s]
    if statuses:
        reqs = reqs.filter(status__in=statuses)
    if filters.get("business_area"):
        reqs = reqs.filter(business_area=filters["business_area"])
    if filters.get("q"):
        reqs = reqs.filter(Q(code__icontains=filters["q"]) | Q(title__icontains=filters["q"]))
    return reqs


# --- the objects of the rows ------------------------------------------------------------

TraceRequirement = namedtuple("TraceRequirement", "pk code title status")
TraceDesign = namedtuple("TraceDesign", "pk code name")
TraceItem = namedtuple("TraceItem", "pk code title status")
TraceCase = namedtuple("TraceCase", "pk code title")
TraceDefect = namedtuple("TraceDefect", "pk code title severity status case_id development_item_id")
DEFECT_FIELDS = ("pk", "code", "title", "severity", "status", "case_id", "development_item_id")


@dataclass
class Catalogue:
    """What rows are built from, by id: model instances (a page) or light tuples (the export).
    ``designs`` keep the designs' own order (business area, number)."""

    requirements: dict
    designs: dict
    items: dict
    cases: dict
    defects_by_case: dict = field(default_factory=lambda: defaultdict(list))
    defects_by_item: dict = field(default_factory=lambda: defaultdict(list))

    def file_defects(self, defects) -> None:
        for defect in defects:
            if defect.case_id in self.cases:
                self.defects_by_case[defect.case_id].append(defect)
            if defect.development_item_id in self.items:
                self.defects_by_item[defect.development_item_id].append(defect)


def _open_defects(user, project):
    return Defect.objects.visible_to(user).filter(project=project, status__in=OPEN_DEFECT_STATUSES)


def _objects_of(*, user, project, ids: list[int], index: TraceIndex) -> Catalogue:
    """The model instances of the rows of ``ids`` (five queries, only the fields shown)."""
    seen = visible_sets(user, project)
    design_ids = set().union(*(index.designs.get(pk, ()) for pk in ids))
    item_ids = set().union(*(index.items.get(pk, ()) for pk in ids))
    case_ids = set().union(*(index.cases.get(pk, ()) for pk in ids))
    requirements = _requirement_model().objects.visible_to(user).filter(project=project, pk__in=ids)
    catalogue = Catalogue(
        requirements={r.pk: r for r in requirements.order_by().only("pk", "code", "title", "status", "project_id")},
        designs={d.pk: d for d in seen["designs"].filter(pk__in=design_ids).only("pk", "code", "name", "project_id")},
        items={
            i.pk: i
            for i in seen["items"]
            .filter(pk__in=item_ids)
            .order_by()
            .only("pk", "code", "title", "status", "project_id")
        },
        cases={
            c.pk: c for c in seen["cases"].filter(pk__in=case_ids).order_by().only("pk", "code", "title", "project_id")
        },
    )
    if case_ids or item_ids:
        defects = _open_defects(user, project).filter(Q(case_id__in=case_ids) | Q(development_item_id__in=item_ids))
        defects = list(defects.order_by().only(*DEFECT_FIELDS, "project_id"))
        for defect in defects:
            defect.project = project  # its link names the project: no query per defect
        catalogue.file_defects(defects)
    return catalogue


def _texts_of(*, user, project, requirements, index: TraceIndex) -> Catalogue:
    """The fields the export shows of every row of the matrix, as light tuples (five queries;
    the project's items, cases and open defects whatever the filters: no list of ids)."""
    seen = visible_sets(user, project)
    design_ids = set().union(*index.designs.values())
    catalogue = Catalogue(
        requirements={r[0]: TraceRequirement(*r) for r in requirements.values_list(*TraceRequirement._fields)},
        designs={
            d[0]: TraceDesign(*d) for d in seen["designs"].filter(pk__in=design_ids).values_list(*TraceDesign._fields)
        },
        items={i[0]: TraceItem(*i) for i in seen["items"].order_by().values_list(*TraceItem._fields)},
        cases={c[0]: TraceCase(*c) for c in seen["cases"].order_by().values_list(*TraceCase._fields)},
    )
    catalogue.file_defects(TraceDefect(*d) for d in _open_defects(user, project).order_by().values_list(*DEFECT_FIELDS))
    return catalogue


def _assemble(ids: list[int], index: TraceIndex, catalogue: Catalogue) -> list[TraceRow]:
    """The rows of ``ids`` from their links (``index``) and their objects (``catalogue``)."""
    labels = {key: _(label) for key, label in RESULT_LABELS.items()}
    position = {pk: n for n, pk in enumerate(catalogue.designs)}
    rows = []
    for pk in ids:
        requirement = catalogue.requirements.get(pk)
        if requirement is None:
            continue
        case_ids = index.cases.get(pk, ())
        traces = []
        for case in sorted((catalogue.cases[c] for c in case_ids if c in catalogue.cases), key=lambda c: c.code):
            status, when = index.results.get(case.pk, NOT_RUN)
            traces.append(CaseTrace(case=case, result=status, result_label=labels[status], executed_at=when))
        items = [catalogue.items[i] for i in index.items.get(pk, ()) if i in catalogue.items]
        defects = {}
        for case_id in case_ids:
            defects.update((d.pk, d) for d in catalogue.defects_by_case.get(case_id, ()))
        for item in items:
            defects.update((d.pk, d) for d in catalogue.defects_by_item.get(item.pk, ()))
        designs = sorted((d for d in index.designs.get(pk, ()) if d in position), key=position.get)
        rows.append(
            TraceRow(
                requirement=requirement,
                designs=[catalogue.designs[d] for d in designs],
                items=sorted(items, key=lambda i: i.code),
                cases=traces,
                open_defects=sorted(defects.values(), key=lambda d: d.code),
            )
        )
    return rows


# --- the matrix, a page or a chunk at a time ---------------------------------------------


class TraceMatrix:
    """The filtered matrix of one project.

    ``ids`` are the requirement ids in order, to paginate: a lazy queryset (a count and a
    slice), or a list when ``coverage`` filters (the coverage of every filtered requirement
    is then computed from ids, in the six queries of ``trace_index``). ``rows(ids)`` loads
    the rows of those requirements (a page); ``chunks()`` every row as model instances,
    ``lines()`` every row as light tuples for the export, ``CHUNK_SIZE`` at a time.
    """

    def __init__(self, *, user, project, filters: dict | None = None):
        filters = filters or {}
        self.user, self.project = user, project
        self.requirements = requirement_rows(user=user, project=project, filters=filters)
        self.index: TraceIndex | None = None
        wanted = filters.get("coverage")
        if wanted:
            self.index = self._whole_index()
            ids = self.requirements.values_list("pk", flat=True)
            self.ids = [pk for pk in ids if self.index.coverage(pk) == wanted]
        else:
            self.ids = self.requirements.values_list("pk", flat=True)

    def _whole_index(self) -> TraceIndex:
        if self.index is None:
            self.index = trace_index(user=self.user, project=self.project, requirements=self.requirements)
        return self.index

    def rows(self, ids) -> list[TraceRow]:
        """The rows of ``ids`` (in that order): their links (unless the whole matrix's are at
        hand) and their objects; eleven queries at most whatever the size."""
        ids = list(ids)
        if not ids:
            return []
        index = self.index or trace_index(user=self.user, project=self.project, requirements=ids)
        return _assemble(ids, index, _objects_of(user=self.user, project=self.project, ids=ids, index=index))

    def chunks(self, size: int | None = None):
        """Every row with its model instances, ``size`` (``CHUNK_SIZE``) requirements at a time."""
        size = size or CHUNK_SIZE
        ids = list(self.ids)
        index = self._whole_index() if len(ids) > size else None
        for start in range(0, len(ids), size):
            part = ids[start : start + size]
            part_index = index or trace_index(user=self.user, project=self.project, requirements=part)
            yield _assemble(
                part, part_index, _objects_of(user=self.user, project=self.project, ids=part, index=part_index)
            )

    def lines(self, size: int | None = None):
        """Every row as light tuples (what the export writes), ``size`` (``CHUNK_SIZE``)
        requirements at a time; a fixed number of queries whatever the size."""
        size = size or CHUNK_SIZE
        index = self._whole_index()
        catalogue = _texts_of(user=self.user, project=self.project, requirements=self.requirements, index=index)
        ids = self.ids if isinstance(self.ids, list) else list(catalogue.requirements)
        for start in range(0, len(ids), size):
            yield _assemble(ids[start : start + size], index, catalogue)


def traceability_matrix(*, user, project, filters: dict | None = None) -> TraceMatrix:
    """The matrix to page through (page, API) or to stream (export); see ``TraceMatrix``.

    ``filters``: ``status`` (requirement statuses), ``business_area``, ``coverage``, ``q``.
    """
    return TraceMatrix(user=user, project=project, filters=filters)


def traceability(*, user, project, filters: dict | None = None) -> list[TraceRow]:
    """Every row of the filtered matrix at once (small projects, tests); pages and exports
    use ``traceability_matrix`` to read a page or a chunk at a time."""
    matrix = traceability_matrix(user=user, project=project, filters=filters)
    return [row for chunk in matrix.chunks() for row in chunk]
