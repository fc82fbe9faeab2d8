"""Testing: test cases with ordered steps, cycles and their scope, executions with step
results and evidence, defects with comments, load-test results, UAT sign-off.

Class names avoid the ``Test`` prefix (pytest would collect them); the domain wording is in
``verbose_name``. Status moves live in ``testing/transitions.py``, every write in
``testing/services/``.

The models live in one module per sub-domain; this package re-exports them, so
``from testing.models import Case`` (and the migrations' ``testing.models.evidence_path``)
keep working.
"""

from testing.models.cases import Case, CaseStep, CaseType
from testing.models.cycles import Cycle, CycleCase
from testing.models.defects import Defect, DefectComment
from testing.models.load import LoadTestResult, report_path
from testing.models.runs import Evidence, Execution, StepResult, StepStatus, evidence_path

__all__ = [
    "Case",
    "CaseStep",
    "CaseType",
    "Cycle",
    "CycleCase",
    "Defect",
    "DefectComment",
    "Evidence",
    "Execution",
    "LoadTestResult",
    "StepResult",
    "StepStatus",
    "evidence_path",
    "report_path",
]
