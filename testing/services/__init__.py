"""Every write of the testing app. Keyword-only functions taking the acting user as ``by``.

Who may do what (projects/roles.py): EDIT writes test cases, cycles, scope and assignments
and triages defects; PARTICIPATE executes runs (client roles only the cases assigned to
them: ``testing.access``), attaches evidence, raises and comments defects; APPROVE decides
a cycle sign-off (never the one who requested it).

One module per sub-domain, re-exported here (``from testing import services``): ``cases``
(cases, cycles, scope), ``runs`` (executions, evidence), ``defects``, ``load``, ``signoff``;
``common`` holds the messages and the shared checks (uploads: ``projects.files``).
"""

from testing.access import (
    CYCLE_SIGNED_OFF,
    NOT_ASSIGNED_TO_ANYONE,
    NOT_ASSIGNED_TO_YOU,
    NOT_YOUR_RUN,
    may_execute,
    may_record,
)
from testing.services.cases import (
    case_create,
    case_delete,
    case_update,
    cycle_add_cases,
    cycle_case_assign,
    cycle_case_remove,
    cycle_create,
    cycle_delete,
    cycle_update,
)
from testing.services.common import (
    ASSIGNEE_CANNOT_TEST,
    CASE_HAS_RUNS,
    CASE_IN_CYCLE_HAS_RUNS,
    CYCLE_COMPLETED,
    CYCLE_HAS_RUNS,
    ILLEGAL_CYCLE_TRANSITION,
    ILLEGAL_TRANSITION,
    NO_BOUND,
    NO_STEPS,
    NO_SUCH_STEP,
    NOT_A_MEMBER,
    OPEN_CRITICAL_DEFECTS,
    OTHER_PROJECT,
    OVERRIDE_REASON_REQUIRED,
    RUN_FINISHED,
    SIGNOFF_NO_CASES,
    SIGNOFF_NOT_REQUESTED,
    SIGNOFF_PENDING,
    SIGNOFF_RUNS_OPEN,
    STEP_INCOMPLETE,
    STEP_NOT_FAILED,
    STEPS_NOT_RUN,
    TEST_EVIDENCE_TYPES,
    TRANSITION_NOT_ALLOWED,
    UAT_ASSIGNEE_NOT_CLIENT,
    check_test_file,
    evidence_max_bytes,
)
from testing.services.defects import defect_comment_add, defect_create, defect_transition, defect_update
from testing.services.load import load_result_passes, load_result_record
from testing.services.runs import (
    evidence_add,
    execution_finish,
    execution_outcome,
    execution_record_step,
    execution_start,
)
from testing.services.signoff import cycle_signoff_check, cycle_signoff_decide, cycle_signoff_request

__all__ = [
    "ASSIGNEE_CANNOT_TEST",
    "CASE_HAS_RUNS",
    "CASE_IN_CYCLE_HAS_RUNS",
    "CYCLE_COMPLETED",
    "CYCLE_HAS_RUNS",
    "CYCLE_SIGNED_OFF",
    "ILLEGAL_CYCLE_TRANSITION",
    "ILLEGAL_TRANSITION",
    "NOT_ASSIGNED_TO_ANYONE",
    "NOT_ASSIGNED_TO_YOU",
    "NOT_A_MEMBER",
    "NOT_YOUR_RUN",
    "NO_BOUND",
    "NO_STEPS",
    "NO_SUCH_STEP",
    "OPEN_CRITICAL_DEFECTS",
    "OTHER_PROJECT",
    "OVERRIDE_REASON_REQUIRED",
    "RUN_FINISHED",
    "SIGNOFF_NOT_REQUESTED",
    "SIGNOFF_NO_CASES",
    "SIGNOFF_PENDING",
    "SIGNOFF_RUNS_OPEN",
    "STEPS_NOT_RUN",
    "STEP_INCOMPLETE",
    "STEP_NOT_FAILED",
    "TEST_EVIDENCE_TYPES",
    "TRANSITION_NOT_ALLOWED",
    "UAT_ASSIGNEE_NOT_CLIENT",
    "case_create",
    "case_delete",
    "case_update",
    "check_test_file",
    "cycle_add_cases",
    "cycle_case_assign",
    "cycle_case_remove",
    "cycle_create",
    "cycle_delete",
    "cycle_signoff_check",
    "cycle_signoff_decide",
    "cycle_signoff_request",
    "cycle_update",
    "defect_comment_add",
    "defect_create",
    "defect_transition",
    "defect_update",
    "evidence_add",
    "evidence_max_bytes",
    "execution_finish",
    "execution_outcome",
    "execution_record_step",
    "execution_start",
    "load_result_passes",
    "load_result_record",
    "may_execute",
    "may_record",
]
