"""The discovery overview, the sign-off request, and the client portal's sign-off page."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from phases.discovery import forms, selectors, services
from phases.discovery.models import Requirement
from projects.actions import ServiceActionView
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability

C = Capability
AGREED_PAGE_SIZE = 50


class Overview(ProjectAccessMixin, TemplateView):
    capability = C.VIEW
    template_name = "discovery/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, project = self.request.user, self.project
        summary = selectors.discovery_summary(user=user, project=project)
        labels = dict(Requirement.FitGap.choices)
        context.update(
            summary=summary,
            kickoffs=selectors.kickoff_list(user=user).filter(project=project)[:3],
            top_risks=selectors.open_risks(user=user, project=project)[:5],
            fit_chart={
                "labels": [str(labels[k]) for k in labels],
                "datasets": [
                    {"label": _("Requirements"), "data": [summary["requirements_by_fit_gap"].get(k, 0) for k in labels]}
                ],
            },
            signoff_form=forms.SignoffRequestForm(),
            **selectors.signoff_state(user=user, project=project),
        )
        return context


class SignoffRequest(ServiceActionView):
    capability = C.EDIT
    form_class = forms.SignoffRequestForm
    success_message = gettext_lazy("Discovery sign-off requested from the sponsor.")

    def perform(self, form):
        return services.discovery_signoff_request(project=self.project, by=self.request.user, **form.cleaned_data)

    def get_success_url(self, result):
        return reverse("discovery:overview", args=[self.project.code])


# --- client portal --------------------------------------------------------------------


class PortalSignoff(ProjectAccessMixin, TemplateView):
    """The client's view of the discovery deliverables, with the approve / reject form for
    whoever may decide (never the requester)."""

    capability = C.VIEW
    template_name = "discovery/portal/signoff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, project = self.request.user, self.project
        state = selectors.signoff_state(user=user, project=project)
        pending = state["pending_signoff"]
        agreed = selectors.requirement_list(user=user).filter(project=project, status=Requirement.Status.AGREED)
        if pending is not None:
            agreed = agreed.filter(code__in=pending.snapshot.get("agreed_requirements", []))
        page = Paginator(agreed.order_by("code"), AGREED_PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            state,
            agreed=page.object_list,
            page_obj=page,
            kickoffs=selectors.kickoff_list(user=user).filter(project=project),
            waves=selectors.rollout_wave_list(user=user).filter(project=project),
            # the portal is the client's view: nothing internal, whoever looks at it
            documents=selectors.plan_document_list(user=user).filter(project=project, internal=False),
            risks=selectors.open_risks(user=user, project=project, client_view=True),
            form=kwargs.get("form") or forms.SignoffDecisionForm(),
        )
        return context


class PortalSignoffDecide(ServiceActionView):
    capability = C.APPROVE
    form_class = forms.SignoffDecisionForm
    success_message = gettext_lazy("Your decision is recorded.")

    def get_object(self):
        return selectors.discovery_signoff_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.discovery_signoff_decide(signoff=self.object, by=self.request.user, **form.cleaned_data)

    def get_success_url(self, result):
        return reverse("discovery-portal:signoff", args=[self.project.code])
