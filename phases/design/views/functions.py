"""Function description pages: the list, the form (create / edit) and delete."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from phases.design import selectors, services
from phases.design.filters import FunctionDescriptionFilterSet
from phases.design.forms import FunctionDescriptionForm
from phases.discovery import selectors as discovery_selectors
from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectFilteredListView
from projects.roles import Capability

C = Capability


class FunctionListView(ProjectFilteredListView):
    template_name = "design/function_list.html"
    context_object_name = "functions"
    filterset_class = FunctionDescriptionFilterSet
    filter_fields = ("kind", "business_area", "q")

    def rows(self):
        return selectors.function_description_list(user=self.request.user)


class FunctionEditView(ServiceFormView):
    template_name = "design/function_form.html"
    form_class = FunctionDescriptionForm
    capability = C.EDIT
    success_message = gettext_lazy("Function description saved.")

    def get_function(self):
        if "pk" not in self.kwargs:
            return None
        return selectors.function_description_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.function = self.get_function()
        kwargs["project"] = self.project
        if self.function is not None:
            f = self.function
            kwargs["initial"] = {
                "version": f.version,
                "requirement": f.requirement,
                "design": f.design,
                "kind": f.kind,
                "title": f.title,
                "description": f.description,
                "erp_reference": f.erp_reference,
            }
        elif self.request.GET.get("requirement", "").isdigit():
            # The requirement the page was opened for (the picker shows it as a choice or a code).
            requirements = discovery_selectors.requirement_list(user=self.request.user).filter(project=self.project)
            requirement = requirements.filter(pk=self.request.GET["requirement"]).first()
            kwargs["initial"] = {"requirement": requirement}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["function"] = self.function
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if self.function is None:
            return services.function_description_create(project=self.project, by=self.request.user, **data)
        return services.function_description_update(
            function=self.function, by=self.request.user, version=version or 0, **data
        )

    def get_success_url(self, result=None):
        return reverse("design:function_list", args=[self.project.code])


class FunctionDeleteView(ServiceActionView):
    capability = C.EDIT
    success_message = gettext_lazy("Function description deleted.")

    def get_object(self):
        return selectors.function_description_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        services.function_description_delete(function=self.object, by=self.request.user)
        return True

    def get_success_url(self, result):
        if result:
            return reverse("design:function_list", args=[self.project.code])
        return super().get_success_url(result)
