"""The client portal's UAT pages: the tester's home, and the execution and sign-off pages
shared with the dashboard (``portal = True``: the portal's layout and URL names)."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.views.generic import TemplateView

from projects.mixins import ProjectAccessMixin
from projects.roles import Capability, can, may_decide
from testing import selectors
from testing.models import CaseType, Defect
from testing.views.cycles import SignoffView
from testing.views.defects import DefectTransitionView
from testing.views.runs import (
    DefectFromStepView,
    EvidenceUploadView,
    ExecutionDetailView,
    ExecutionFinishView,
    ExecutionStartView,
    ExecutionStepView,
)

C = Capability
ASSIGNED_PAGE_SIZE = 50


class UatHomeView(ProjectAccessMixin, TemplateView):
    """A client member's UAT page: the cases assigned to them and the sign-offs waiting."""

    template_name = "testing/portal/uat_home.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cycles = list(selectors.cycle_list(user=user).filter(project=self.project, type=CaseType.UAT))
        for cycle in cycles:
            cycle.may_decide = cycle.signoff_id is not None and may_decide(user, cycle.signoff)
        mine = selectors.defects_of_tester(user=user, project=self.project)
        page = Paginator(selectors.assigned_cases(user=user, project=self.project), ASSIGNED_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            assigned=page.object_list,
            page_obj=page,
            cycles=cycles,
            may_participate=can(user, self.project, C.PARTICIPATE),
            retest=mine.filter(status=Defect.Status.RETEST)[:30],
            my_defects=mine.exclude(status=Defect.Status.RETEST)[:30],
            next_url=reverse("testing-portal:uat_home", args=[self.project.code]),
        )
        return context


class PortalExecutionStartView(ExecutionStartView):
    portal = True


class PortalExecutionDetailView(ExecutionDetailView):
    portal = True


class PortalExecutionStepView(ExecutionStepView):
    portal = True


class PortalExecutionFinishView(ExecutionFinishView):
    portal = True


class PortalEvidenceUploadView(EvidenceUploadView):
    portal = True


class PortalDefectFromStepView(DefectFromStepView):
    portal = True


class PortalSignoffView(SignoffView):
    portal = True


#: The portal's move of a defect in retest (close or reopen) is the dashboard's view.
PortalDefectTransitionView = DefectTransitionView
