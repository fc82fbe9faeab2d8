"""Pages of the go-live app, one module per sub-domain; the readiness pages are re-exported
here (``golive.urls_readiness`` and ``golive.portal_urls_readiness`` mount them)."""

from golive.views.readiness import (
    ReadinessDashboardView,
    RunCancelView,
    RunCompareView,
    RunDetailView,
    RunProgressView,
    RunStartView,
)
from golive.views.readiness_criteria import (
    CriterionAssessView,
    CriterionDeleteView,
    CriterionDetailView,
    CriterionEditView,
    CriterionEvidenceView,
    CriterionListView,
)
from golive.views.readiness_portal import PortalCriterionAssessView, PortalReadinessView

__all__ = [
    "CriterionAssessView",
    "CriterionDeleteView",
    "CriterionDetailView",
    "CriterionEditView",
    "CriterionEvidenceView",
    "CriterionListView",
    "PortalCriterionAssessView",
    "PortalReadinessView",
    "ReadinessDashboardView",
    "RunCancelView",
    "RunCompareView",
    "RunDetailView",
    "RunProgressView",
    "RunStartView",
]
