"""Technical requirement pages: the list with its status summary, the form (create / edit,
evidence file), delete, and the evidence download."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from phases.design import selectors, services
from phases.design.downloads import evidence_download
from phases.design.filters import TechnicalRequirementFilterSet
from phases.design.forms import TechnicalRequirementForm
from projects import selectors as project_selectors
from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability

C = Capability


class TechnicalListView(ProjectFilteredListView):
    template_name = "design/technical_list.html"
    context_object_name = "technical_requirements"
    filterset_class = TechnicalRequirementFilterSet
    filter_fields = ("category", "status", "q")

    def rows(self):
        return selectors.technical_requirement_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = selectors.technical_requirement_summary(project=self.project)
        return context


class TechnicalEditView(ServiceFormView):
    template_name = "design/technical_form.html"
    form_class = TechnicalRequirementForm
    capability = C.EDIT

    def get_requirement(self):
        if "pk" not in self.kwargs:
            return None
        return selectors.technical_requirement_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.requirement = self.get_requirement()
        kwargs.update(project=self.project, requirement=self.requirement)
        if self.requirement is not None:
            r = self.requirement
            kwargs["initial"] = {
                "version": r.version,
                "category": r.category,
                "title": r.title,
                "description": r.description,
                "acceptance_criterion": r.acceptance_criterion,
                "owner": r.owner,
                "status": r.status,
                "evidence": r.evidence,
            }
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requirement"] = self.requirement
        if self.requirement is not None:
            context["audit"] = project_selectors.audit_entries(user=self.request.user, target=self.requirement)[:20]
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if not data.get("evidence_file"):
            data.pop("evidence_file", None)
        if self.requirement is None:
            data.pop("remove_evidence_file", None)
            return services.technical_requirement_create(project=self.project, by=self.request.user, **data)
        return services.technical_requirement_update(
            requirement=self.requirement, by=self.request.user, version=version or 0, **data
        )

    def get_success_message(self, result):
        return _("Technical requirement %(code)s saved.") % {"code": result.code}

    def get_success_url(self, result=None):
        return reverse("design:technical_list", args=[self.project.code])


class TechnicalDeleteView(ServiceActionView):
    capability = C.EDIT
    success_message = gettext_lazy("Technical requirement deleted.")

    def get_object(self):
        return selectors.technical_requirement_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        services.technical_requirement_delete(requirement=self.object, by=self.request.user)
        return True

    def get_success_url(self, result):
        if result:
            return reverse("design:technical_list", args=[self.project.code])
        return super().get_success_url(result)


class TechnicalEvidenceView(ProjectAccessMixin, View):
    capability = C.VIEW

    def get(self, request, code, pk):
        return evidence_download(selectors.technical_requirement_get(user=request.user, project=self.project, pk=pk))
