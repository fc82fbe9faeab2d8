"""Pages of the go/no-go decision: list, create, edit, and the detail page where an approver
decides (dashboard) — and the sponsor's portal pages. Every write is a service call; the
override rule is the service's (``golive.services.decisions.override_refusal``), so the
page refuses a GO without a reason exactly as the API does."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from golive.filters.decisions import DecisionFilterSet
from golive.forms_decisions import DecideForm, DecisionForm
from golive.models import ReadinessRun
from golive.selectors.decisions import decision_get, decision_list, decisions_waiting_for, snapshot_for
from golive.selectors.readiness import run_list
from golive.services.decisions import (
    decision_create,
    decision_decide,
    decision_update,
    needs_override,
    signoff_for,
)
from projects.actions import ServiceFormView
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability as C
from projects.roles import can, decide_refusal


class DecisionListView(ProjectFilteredListView):
    template_name = "golive/decisions/decision_list.html"
    context_object_name = "decisions"
    filterset_class = DecisionFilterSet

    def rows(self):
        return decision_list(user=self.request.user)


class DecisionCreateView(ServiceFormView):
    template_name = "golive/decisions/decision_form.html"
    form_class = DecisionForm
    capability = C.EDIT
    success_message = gettext_lazy("Decision recorded; the sponsor's and the PM's sign-offs are requested.")

    def get_form_kwargs(self):
        runs = run_list(user=self.request.user).filter(project=self.project, status=ReadinessRun.Status.SUCCEEDED)
        return {**super().get_form_kwargs(), "project": self.project, "runs": runs}

    def perform(self, form):
        return decision_create(project=self.project, by=self.request.user, **form.cleaned_data)


class DecisionEditView(ServiceFormView):
    template_name = "golive/decisions/decision_form.html"
    form_class = DecisionForm
    capability = C.EDIT
    success_message = gettext_lazy("Decision saved.")

    def get_decision(self):
        if not hasattr(self, "_decision"):
            self._decision = decision_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])
        return self._decision

    def get_initial(self):
        d = self.get_decision()
        return {
            "meeting_at": d.meeting_at,
            "attendees": list(d.attendees.all()),
            "other_attendees": d.other_attendees,
            "conditions": d.conditions,
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project, "editing": True}

    def get_context_data(self, **kwargs):
        return super().get_context_data(decision=self.get_decision(), **kwargs)

    def perform(self, form):
        version = self.request.POST.get("version")
        return decision_update(
            decision=self.get_decision(),
            by=self.request.user,
            version=int(version) if version and version.isdigit() else -1,
            **form.cleaned_data,
        )


def decision_context(request, decision) -> dict:
    """What the detail pages show: the snapshot the user may read, the sign-offs, and whether
    (and why not) the user answers one now."""
    user = request.user
    mine = signoff_for(decision, user) if decision.outcome == "pending" else None
    refusal = ""
    if mine is None and decision.outcome == "pending" and can(user, decision.project, C.APPROVE):
        for approval in (decision.sponsor_signoff, decision.pm_signoff):
            if approval is not None and approval.decision == "pending":
                refusal = decide_refusal(user, approval) or refusal
    signoffs = [
        (_("Sponsor"), decision.sponsor_signoff),
        (_("Project manager"), decision.pm_signoff),
    ]
    return {
        "decision": decision,
        "snapshot": snapshot_for(user=user, decision=decision),
        "signoffs": [(label, a) for label, a in signoffs if a is not None],
        "my_signoff": mine,
        "decide_refusal": refusal,
        "needs_override": needs_override(decision),
    }


class DecisionDetailView(ServiceFormView):
    """The decision: the snapshot, the sign-offs, and the decide form for an approver."""

    template_name = "golive/decisions/decision_detail.html"
    form_class = DecideForm
    capability = C.VIEW
    portal = False

    def get_decision(self):
        return decision_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        if not can(request.user, self.project, C.APPROVE):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "needs_override": needs_override(self.get_decision())}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(decision_context(self.request, self.get_decision()))
        context["base_template"] = "portal/base.html" if self.portal else "dashboard/base.html"
        return context

    def perform(self, form):
        data = {"override_reason": "", **form.cleaned_data}
        return decision_decide(decision=self.get_decision(), by=self.request.user, **data)

    def get_success_message(self, result):
        return _("Your decision is recorded. Outcome: %(outcome)s.") % {"outcome": result.get_outcome_display()}

    def get_success_url(self, result=None):
        return self.request.path


class PortalDecisionDetailView(DecisionDetailView):
    portal = True


class PortalDecisionHomeView(ProjectAccessMixin, TemplateView):
    """The sponsor's go/no-go page: decisions waiting for them, then the recent ones."""

    template_name = "golive/portal/decisions_home.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        waiting = list(decisions_waiting_for(user=user, project=self.project))
        context["waiting"] = waiting
        context["recent"] = (
            decision_list(user=user).filter(project=self.project).exclude(pk__in=[d.pk for d in waiting])[:20]
        )
        return context
