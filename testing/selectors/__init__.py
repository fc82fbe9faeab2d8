"""Read queries of the testing app, shared by dashboard, portal, API and other apps.

One module per sub-domain, re-exported here (``from testing import selectors``):
``rows`` (lists and ``<entity>_get`` details, scoped to the user), ``charts`` (the cycle
page's figures), ``traceability`` (the matrix, read a page or a chunk at a time),
``coverage`` (the matrix's figures and the readiness figures).

Public for other apps (e.g. ``golive`` readiness checks): ``testing_status`` (no user: for
jobs), ``defect_list``, ``cycle_list``, ``traceability`` and ``coverage``.
"""

from testing.selectors.charts import (
    RESULT_COLOURS,
    RESULT_ORDER,
    cycle_status_counts,
    defect_trend_chart,
    execution_progress_chart,
)
from testing.selectors.coverage import Coverage, ReadinessFigures, coverage, testing_status
from testing.selectors.rows import (
    assigned_cases,
    case_get,
    case_list,
    cycle_case_get,
    cycle_case_list,
    cycle_case_of,
    cycle_for_approval,
    cycle_get,
    cycle_list,
    cycle_open_defects,
    cycle_scope,
    defect_get,
    defect_list,
    defects_of_tester,
    evidence_get,
    evidence_list,
    execution_get,
    execution_list,
    latest_run,
    load_result_get,
    load_result_list,
    open_critical_codes,
    step_evidence,
    step_result_get,
)
from testing.selectors.traceability import (
    COVERAGE_LABELS,
    RESULT_LABELS,
    CaseTrace,
    TraceMatrix,
    TraceRow,
    case_results,
    traceability,
    traceability_matrix,
)

__all__ = [
    "COVERAGE_LABELS",
    "RESULT_COLOURS",
    "RESULT_LABELS",
    "RESULT_ORDER",
    "CaseTrace",
    "Coverage",
    "ReadinessFigures",
    "TraceMatrix",
    "TraceRow",
    "assigned_cases",
    "case_get",
    "case_list",
    "case_results",
    "coverage",
    "cycle_case_get",
    "cycle_case_list",
    "cycle_case_of",
    "cycle_for_approval",
    "cycle_get",
    "cycle_list",
    "cycle_open_defects",
    "cycle_scope",
    "cycle_status_counts",
    "defect_get",
    "defect_list",
    "defect_trend_chart",
    "defects_of_tester",
    "evidence_get",
    "evidence_list",
    "execution_get",
    "execution_list",
    "execution_progress_chart",
    "latest_run",
    "load_result_get",
    "load_result_list",
    "open_critical_codes",
    "step_evidence",
    "step_result_get",
    "testing_status",
    "traceability",
    "traceability_matrix",
]
