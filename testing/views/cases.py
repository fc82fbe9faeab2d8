"""Test case pages: list, create/edit, detail, delete."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability
from testing import selectors, services
from testing.filters import CaseFilterSet
from testing.forms import CaseForm

C = Capability


class CaseListView(ProjectFilteredListView):
    template_name = "testing/case_list.html"
    context_object_name = "cases"
    filterset_class = CaseFilterSet
    filter_fields = ("type", "q")

    def rows(self):
        return selectors.case_list(user=self.request.user)


class CaseEditView(ServiceFormView):
    """Create a case (no ``pk``) or edit one; steps are typed one per line."""

    template_name = "testing/case_form.html"
    form_class = CaseForm
    capability = C.EDIT

    def dispatch(self, request, *args, **kwargs):
        self.case = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        if self.kwargs.get("pk"):
            self.case = selectors.case_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])
            kwargs["initial"] = CaseForm.initial_for(self.case)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["case"] = self.case
        return context

    def perform(self, form):
        data = form.service_kwargs()
        if self.case:
            version = form.cleaned_data.get("version") or 0
            return services.case_update(case=self.case, by=self.request.user, version=version, **data)
        return services.case_create(project=self.project, by=self.request.user, **data)

    def get_success_message(self, result):
        return _("Test case %(code)s saved.") % {"code": result.code}


class CaseDetailView(ProjectAccessMixin, TemplateView):
    template_name = "testing/case_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        case = selectors.case_get(user=user, project=self.project, pk=self.kwargs["pk"])
        context.update(
            case=case,
            executions=selectors.execution_list(user=user).filter(case=case).order_by("-started_at"),
            # Code, title and status only: none of the references a defect list prefetches.
            defects=selectors.defect_list(user=user).filter(case=case).prefetch_related(None),
        )
        return context


class CaseDeleteView(ServiceActionView):
    capability = C.EDIT
    success_message = gettext_lazy("Test case deleted.")

    def get_object(self):
        return selectors.case_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        services.case_delete(case=self.object, by=self.request.user)
        return True

    def get_success_url(self, result):
        if result:
            return reverse("testing:case_list", args=[self.project.code])
        return super().get_success_url(result)
