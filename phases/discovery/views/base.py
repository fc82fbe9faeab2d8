"""The shapes every discovery resource page takes: list, detail, create/edit, delete.

A resource's pages are plain subclasses that name its selector, form and services
(``write_services`` and ``service_object``, as the API viewsets do); see ``crud.py``.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from projects import selectors as project_selectors
from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability

C = Capability


class ResourceMixin:
    """What a resource's pages share. A subclass sets these and defines ``rows``/``get_instance``."""

    write_services: dict = {}
    service_object = ""
    noun = ""
    list_url_name = ""

    def rows(self):
        raise NotImplementedError

    def get_instance(self, pk):
        raise NotImplementedError

    def list_url(self) -> str:
        return reverse(self.list_url_name, args=[self.project.code])


class DiscoveryListView(ProjectFilteredListView):
    paginate_by = 25
    context_object_name = "objects"
    hidden_filters = ("project", "process")


class DiscoveryDetailView(ProjectAccessMixin, DetailView):
    capability = C.VIEW
    context_object_name = "object"

    def get_object(self, queryset=None):
        return self.get_instance(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["audit"] = project_selectors.audit_entries(user=self.request.user, target=self.object)[:20]
        return context


class DiscoveryFormView(ServiceFormView):
    """Create (no ``pk``: ``write_services["create"]``) or update (``pk``: ``["update"]``)."""

    capability = C.EDIT
    template_name = "discovery/object_form.html"
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.object = self.get_instance(self.kwargs["pk"]) if "pk" in self.kwargs else None
        kwargs["project"] = self.project
        if self.object is not None:
            kwargs["instance"] = self.object
            kwargs["initial"] = {**kwargs.get("initial", {}), "version": self.object.version}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            noun=self.noun,
            cancel_url=self.object.get_absolute_url() if self.object else self.list_url(),
            multipart=any(
                getattr(fld.widget, "needs_multipart_form", False) for fld in context["form"].fields.values()
            ),
        )
        return context

    def perform(self, form):
        version, data = form.service_data()
        if self.object is None:
            return self.write_services["create"](project=self.project, by=self.request.user, **data)
        return self.write_services["update"](
            by=self.request.user, version=version or 0, **{self.service_object: self.object}, **data
        )


class DiscoveryDeleteView(ServiceActionView):
    """POST: delete the row through ``write_services["delete"]``, then back to the list."""

    capability = C.EDIT
    success_message = gettext_lazy("Deleted.")

    def get_object(self):
        return self.get_instance(self.kwargs["pk"])

    def perform(self, form):
        self.write_services["delete"](by=self.request.user, **{self.service_object: self.object})
        return True

    def get_success_url(self, result):
        return self.list_url() if result else self.object.get_absolute_url()
