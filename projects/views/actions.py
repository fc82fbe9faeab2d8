"""POST-only actions of a project page: phase status (htmx), gate request, sign-off decision, members."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import selectors, services
from projects.actions import ServiceActionView
from projects.forms import ApprovalDecisionForm, MembershipAddForm, PhaseStatusForm
from projects.models import Phase
from projects.roles import Capability

C = Capability


class PhaseStatusView(ServiceActionView):
    """Inline status change of a phase (htmx swaps the row; plain POST redirects)."""

    capability = C.EDIT
    form_class = PhaseStatusForm
    partial_template = "projects/_phase_row.html"
    success_message = gettext_lazy("Phase status changed.")

    def get_object(self):
        return selectors.phase_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.phase_update(
            phase=self.object,
            by=self.request.user,
            version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )

    def get_success_url(self, result):
        return self.project.get_absolute_url()

    def get_partial_context(self, form, result):
        rows = selectors.phase_progress(project=self.project, user=self.request.user)
        return {"row": next(r for r in rows if r.phase.pk == self.object.pk), "status_choices": Phase.Status.choices}


class PhaseGateRequestView(ServiceActionView):
    capability = C.EDIT

    def get_object(self):
        return selectors.phase_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.phase_request_gate(phase=self.object, by=self.request.user)

    def get_success_message(self, result):
        return _("Gate sign-off requested for %(phase)s.") % {"phase": self.object.get_kind_display()}

    def get_success_url(self, result):
        return self.project.get_absolute_url()


class ApprovalDecideView(ServiceActionView):
    capability = C.APPROVE
    form_class = ApprovalDecisionForm

    def get_object(self):
        return selectors.approval_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.approval_decide(approval=self.object, by=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return _("Your decision on “%(title)s” is recorded.") % {"title": self.object.title}

    def get_success_url(self, result):
        return self.project.get_absolute_url()


class MembershipAddView(ServiceActionView):
    capability = C.MANAGE
    form_class = MembershipAddForm
    success_message = gettext_lazy("Member added.")

    def perform(self, form):
        return services.membership_create(
            project=self.project,
            by=self.request.user,
            user=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
        )

    def get_success_url(self, result):
        return self.project.get_absolute_url()


class MembershipRemoveView(ServiceActionView):
    capability = C.MANAGE
    success_message = gettext_lazy("Member removed.")

    def get_object(self):
        return selectors.membership_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        services.membership_delete(membership=self.object, by=self.request.user)
        return True

    def get_success_url(self, result):
        return self.project.get_absolute_url()
