"""Pages of the projects app: the consultants' dashboard, a project's page and plan, the
user's profile, and the client portal's landing pages. One module per sub-domain."""

from projects.views.account import ProfileView, TokenRevokeView  # noqa: F401
from projects.views.actions import (  # noqa: F401
    ApprovalDecideView,
    MembershipAddView,
    MembershipRemoveView,
    PhaseGateRequestView,
    PhaseStatusView,
)
from projects.views.overview import (  # noqa: F401
    AuditView,
    DashboardView,
    PortalHomeView,
    PortalProjectView,
    ProjectCreateView,
    ProjectDetailView,
    ProjectUpdateView,
    home,
)
from projects.views.plan import (  # noqa: F401
    MilestoneDeleteView,
    MilestoneEditView,
    PlanView,
    SaveTemplateView,
    TaskDeleteView,
    TaskEditView,
)
