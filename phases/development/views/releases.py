"""Release pages: releases (transports) between environments — list, detail, form, the
transport itself, and delete."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from phases.development import selectors, services
from phases.development.filters import ReleaseFilterSet
from phases.development.forms import ReleaseForm, TransportForm
from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability

C = Capability


class ReleaseListView(ProjectFilteredListView):
    template_name = "development/release_list.html"
    paginate_by = 25
    context_object_name = "releases"
    filterset_class = ReleaseFilterSet
    filter_fields = ("status", "q")
    filter_labels = {"q": gettext_lazy("Search")}

    def rows(self):
        return selectors.release_list(user=self.request.user)


class ReleaseDetailView(ProjectAccessMixin, TemplateView):
    template_name = "development/release_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release = selectors.release_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])
        context.update(
            release=release,
            items=selectors.release_items(release),
            history=selectors.history_rows(user=self.request.user, target=release),
        )
        return context


class ReleaseEditView(ServiceFormView):
    template_name = "development/release_form.html"
    form_class = ReleaseForm
    capability = C.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        pk = self.kwargs.get("pk")
        self.release = selectors.release_get(user=self.request.user, project=self.project, pk=pk) if pk else None
        kwargs["project"] = self.project
        if self.release:
            kwargs["instance"] = self.release
            kwargs["initial"] = {"version": self.release.version}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["release"] = self.release
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.release:
            return services.release_update(release=self.release, by=self.request.user, version=version or 0, **data)
        return services.release_create(project=self.project, by=self.request.user, **data)

    def get_success_message(self, result):
        return _("Release %(code)s saved.") % {"code": result.code}


class ReleaseActionView(ServiceActionView):
    capability = C.EDIT

    def get_object(self):
        return selectors.release_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])


class ReleaseTransportView(ReleaseActionView):
    """Record the transport of a release (now, by the current user)."""

    form_class = TransportForm

    def perform(self, form):
        return services.release_transport(release=self.object, by=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return _("%(code)s transported to %(env)s.") % {"code": result.code, "env": result.target_environment.name}


class ReleaseDeleteView(ReleaseActionView):
    def perform(self, form):
        services.release_delete(release=self.object, by=self.request.user)
        return True

    def get_success_message(self, result):
        return _("Release %(code)s deleted.") % {"code": self.object.code}

    def get_success_url(self, result):
        if result:
            return reverse("development:release_list", args=[self.project.code])
        return super().get_success_url(result)
