"""Environment pages: the project's system landscape (list, form, delete)."""

from django.utils.translation import gettext as _

from phases.development import selectors, services
from phases.development.filters import EnvironmentFilterSet
from phases.development.forms import EnvironmentForm
from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectFilteredListView
from projects.roles import Capability

C = Capability


class EnvironmentListView(ProjectFilteredListView):
    template_name = "development/environment_list.html"
    context_object_name = "environments"
    filterset_class = EnvironmentFilterSet

    def rows(self):
        return selectors.environment_list(user=self.request.user)


class EnvironmentEditView(ServiceFormView):
    template_name = "development/environment_form.html"
    form_class = EnvironmentForm
    capability = C.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        pk = self.kwargs.get("pk")
        self.environment = None
        if pk:
            self.environment = selectors.environment_get(user=self.request.user, project=self.project, pk=pk)
            kwargs["instance"] = self.environment
            kwargs["initial"] = {"version": self.environment.version}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["environment"] = self.environment
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.environment:
            return services.environment_update(
                environment=self.environment, by=self.request.user, version=version or 0, **data
            )
        return services.environment_create(project=self.project, by=self.request.user, **data)

    def get_success_message(self, result):
        return _("Environment %(name)s saved.") % {"name": result.name}


class EnvironmentDeleteView(ServiceActionView):
    """Delete an environment; refused while releases use it. Back to the list either way."""

    capability = C.EDIT

    def get_object(self):
        return selectors.environment_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        services.environment_delete(environment=self.object, by=self.request.user)
        return True

    def get_success_message(self, result):
        return _("Environment %(name)s deleted.") % {"name": self.object.name}
