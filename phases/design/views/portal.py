"""The client portal's design sign-off (``/portal/<code>/design/``): designs in review with
their diagrams, where the sponsor (or the named approver) approves or rejects."""

from django.urls import reverse
from django.views.generic import TemplateView

from phases.design import selectors
from phases.design.models import DesignStatus
from phases.design.views.designs import DesignDecideView
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability

C = Capability


class PortalSignoffListView(ProjectAccessMixin, TemplateView):
    """Designs waiting for sign-off, each with its BPMN diagram; approvers decide here."""

    template_name = "design/portal/signoff_list.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        designs = list(selectors.designs_in_review(user=user, project=self.project))
        for design in designs:
            design.may_decide = selectors.may_decide_design(user=user, design=design)
        context["designs"] = designs
        context["approved"] = (
            selectors.process_design_list(user=user)
            .filter(project=self.project)
            .with_status([DesignStatus.APPROVED])
            .order_by("-approval__decided_at")[:20]
        )
        return context


class PortalDecideView(DesignDecideView):
    """The portal's decision: back to the sign-off list, whatever the outcome."""

    def get_success_url(self, result):
        return reverse("design-portal:signoff_list", args=[self.project.code])


class PortalDesignDetailView(ProjectAccessMixin, TemplateView):
    """A process design as the client team reads it: to-be, diagram, steps, requirements."""

    template_name = "design/portal/design_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        design = selectors.process_design_get(user=user, project=self.project, pk=self.kwargs["pk"])
        context.update(
            design=design,
            versions=selectors.process_design_version_list(user=user).filter(design=design),
            may_decide=selectors.may_decide_design(user=user, design=design),
        )
        return context
