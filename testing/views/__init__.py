"""Pages of the testing app: the consultants' dashboard and the client portal's UAT pages.

Every page resolves the project from the URL (404 when the user is not a member), checks
its capability, reads through ``selectors`` and writes through ``services``; every POST-only
action is a ``projects.actions.ServiceActionView``. One module per sub-domain, re-exported
here for ``urls.py`` and ``portal_urls.py``.
"""

from testing.views.cases import CaseDeleteView, CaseDetailView, CaseEditView, CaseListView
from testing.views.cycles import (
    CycleAddCasesView,
    CycleAssignView,
    CycleDetailView,
    CycleEditView,
    CycleListView,
    CycleSignoffRequestView,
    CycleStatusView,
    SignoffView,
)
from testing.views.defects import (
    DefectCommentView,
    DefectCreateView,
    DefectDetailView,
    DefectEditView,
    DefectListView,
    DefectTransitionView,
)
from testing.views.portal import (
    PortalDefectFromStepView,
    PortalDefectTransitionView,
    PortalEvidenceUploadView,
    PortalExecutionDetailView,
    PortalExecutionFinishView,
    PortalExecutionStartView,
    PortalExecutionStepView,
    PortalSignoffView,
    UatHomeView,
)
from testing.views.reports import (
    LoadReportDownloadView,
    LoadResultCreateView,
    LoadResultListView,
    TraceabilityExportView,
    TraceabilityView,
)
from testing.views.runs import (
    DefectFromStepView,
    EvidenceDownloadView,
    EvidenceUploadView,
    ExecutionDetailView,
    ExecutionFinishView,
    ExecutionStartView,
    ExecutionStepView,
)

__all__ = [
    "CaseDeleteView",
    "CaseDetailView",
    "CaseEditView",
    "CaseListView",
    "CycleAddCasesView",
    "CycleAssignView",
    "CycleDetailView",
    "CycleEditView",
    "CycleListView",
    "CycleSignoffRequestView",
    "CycleStatusView",
    "DefectCommentView",
    "DefectCreateView",
    "DefectDetailView",
    "DefectEditView",
    "DefectFromStepView",
    "DefectListView",
    "DefectTransitionView",
    "EvidenceDownloadView",
    "EvidenceUploadView",
    "ExecutionDetailView",
    "ExecutionFinishView",
    "ExecutionStartView",
    "ExecutionStepView",
    "LoadReportDownloadView",
    "LoadResultCreateView",
    "LoadResultListView",
    "PortalDefectFromStepView",
    "PortalDefectTransitionView",
    "PortalEvidenceUploadView",
    "PortalExecutionDetailView",
    "PortalExecutionFinishView",
    "PortalExecutionStartView",
    "PortalExecutionStepView",
    "PortalSignoffView",
    "SignoffView",
    "TraceabilityExportView",
    "TraceabilityView",
    "UatHomeView",
]
