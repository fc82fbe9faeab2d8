"""Serializers of the testing API: read-only output, plain input serializers for the services.

Scoped primary keys (``scoped_pk``), named enums (``enum_field``) and ``version`` come from
``projects.api.base``. One module per sub-domain, re-exported here
(``from testing.api import serializers as s``).
"""

from testing.api.serializers.cases import (
    CaseInputSerializer,
    CaseSerializer,
    CaseStepSerializer,
    CaseUpdateSerializer,
    CycleAddCasesSerializer,
    CycleAssignSerializer,
    CycleCaseSerializer,
    CycleInputSerializer,
    CycleSerializer,
    CycleSignoffDecisionSerializer,
    CycleSignoffRequestSerializer,
    CycleSummarySerializer,
    CycleUpdateSerializer,
)
from testing.api.serializers.common import (
    TestingEnvironmentRefSerializer,
    TestingRefSerializer,
)
from testing.api.serializers.defects import (
    DefectCommentInputSerializer,
    DefectCommentSerializer,
    DefectInputSerializer,
    DefectListSerializer,
    DefectSerializer,
    DefectTransitionSerializer,
    DefectUpdateSerializer,
)
from testing.api.serializers.reports import (
    LoadTestResultInputSerializer,
    LoadTestResultSerializer,
    TraceabilityCoverageSerializer,
    TraceabilityQuerySerializer,
    TraceabilitySerializer,
    TraceCaseSerializer,
    TraceDefectSerializer,
    TraceDesignSerializer,
    TraceItemSerializer,
    TraceRowSerializer,
)
from testing.api.serializers.runs import (
    ExecutionEvidenceSerializer,
    ExecutionEvidenceUploadSerializer,
    ExecutionFinishSerializer,
    ExecutionRecordStepSerializer,
    ExecutionSerializer,
    ExecutionStartSerializer,
    StepResultSerializer,
)

__all__ = [
    "CaseInputSerializer",
    "CaseSerializer",
    "CaseStepSerializer",
    "CaseUpdateSerializer",
    "CycleAddCasesSerializer",
    "CycleAssignSerializer",
    "CycleCaseSerializer",
    "CycleInputSerializer",
    "CycleSerializer",
    "CycleSignoffDecisionSerializer",
    "CycleSignoffRequestSerializer",
    "CycleSummarySerializer",
    "CycleUpdateSerializer",
    "DefectCommentInputSerializer",
    "DefectCommentSerializer",
    "DefectInputSerializer",
    "DefectListSerializer",
    "DefectSerializer",
    "DefectTransitionSerializer",
    "DefectUpdateSerializer",
    "ExecutionEvidenceSerializer",
    "ExecutionEvidenceUploadSerializer",
    "ExecutionFinishSerializer",
    "ExecutionRecordStepSerializer",
    "ExecutionSerializer",
    "ExecutionStartSerializer",
    "LoadTestResultInputSerializer",
    "LoadTestResultSerializer",
    "StepResultSerializer",
    "TestingEnvironmentRefSerializer",
    "TestingRefSerializer",
    "TraceCaseSerializer",
    "TraceDefectSerializer",
    "TraceDesignSerializer",
    "TraceItemSerializer",
    "TraceRowSerializer",
    "TraceabilityCoverageSerializer",
    "TraceabilityQuerySerializer",
    "TraceabilitySerializer",
]
