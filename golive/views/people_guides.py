"""Pages of the user guides: list, detail with versions and downloads, create/edit, upload,
publish. A client role sees published guides only (the selectors decide, here and in the portal)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from golive.filters.people import UserGuideFilterSet
from golive.forms_people import GuideForm, GuideUploadForm, PublishForm
from golive.selectors import people as selectors
from golive.services import people as services
from projects.actions import ServiceActionView, ServiceFormView
from projects.files import attachment_response
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability as C


class GuideListView(ProjectFilteredListView):
    template_name = "golive/people/guide_list.html"
    context_object_name = "guides"
    filterset_class = UserGuideFilterSet

    def rows(self):
        return selectors.guide_list(user=self.request.user).prefetch_related("processes")


class GuideMixin:
    def get_guide(self):
        if not hasattr(self, "_guide"):
            self._guide = selectors.guide_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])
        return self._guide


class GuideDetailView(GuideMixin, ProjectAccessMixin, TemplateView):
    template_name = "golive/people/guide_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        guide = self.get_guide()
        return super().get_context_data(
            guide=guide,
            versions=selectors.guide_version_list(user=self.request.user).filter(guide=guide),
            upload_form=GuideUploadForm(),
            **kwargs,
        )


class GuideEditView(ServiceFormView):
    """Create (no ``pk``) or edit a guide's title and processes."""

    template_name = "golive/people/form.html"
    form_class = GuideForm
    capability = C.EDIT
    success_message = gettext_lazy("User guide saved.")

    def get_guide(self):
        pk = self.kwargs.get("pk")
        return selectors.guide_get(user=self.request.user, project=self.project, pk=pk) if pk else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def get_initial(self):
        guide = self.get_guide()
        return {} if guide is None else {"title": guide.title, "processes": list(guide.processes.all())}

    def get_context_data(self, **kwargs):
        guide = self.get_guide()
        return super().get_context_data(
            heading=_("Edit user guide") if guide else _("New user guide"),
            version=guide.version if guide else None,
            cancel_url=guide.get_absolute_url() if guide else reverse("golive:guide_list", args=[self.project.code]),
            **kwargs,
        )

    def perform(self, form):
        guide = self.get_guide()
        if guide is None:
            return services.guide_create(project=self.project, by=self.request.user, **form.cleaned_data)
        version = self.request.POST.get("version", "")
        return services.guide_update(
            guide=guide, by=self.request.user, version=int(version) if version.isdigit() else -1, **form.cleaned_data
        )


class GuideDeleteView(GuideMixin, ServiceActionView):
    capability = C.EDIT
    success_message = gettext_lazy("User guide deleted.")

    def get_object(self):
        return self.get_guide()

    def perform(self, form):
        services.guide_delete(guide=self.object, by=self.request.user)
        return True

    def get_success_url(self, result):
        return reverse("golive:guide_list", args=[self.project.code])


class GuideUploadView(GuideMixin, ServiceActionView):
    capability = C.EDIT
    form_class = GuideUploadForm

    def get_object(self):
        return self.get_guide()

    def perform(self, form):
        return services.guide_version_add(guide=self.object, by=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return _("Version %(n)s uploaded.") % {"n": result.number}

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class GuidePublishView(GuideMixin, ServiceActionView):
    """Publish (``published=on``) or take back the guide."""

    capability = C.EDIT
    form_class = PublishForm

    def get_object(self):
        return self.get_guide()

    def perform(self, form):
        return services.guide_publish(guide=self.object, by=self.request.user, published=form.cleaned_data["published"])

    def get_success_message(self, result):
        return _("The guide is published.") if result.published else _("The guide is no longer published.")


class GuideDownloadView(ProjectAccessMixin, View):
    """A version's file, as an attachment; a client role reaches published guides only."""

    capability = C.VIEW

    def get(self, request, *args, **kwargs):
        row = selectors.guide_version_get(user=request.user, project=self.project, pk=kwargs["pk"])
        return attachment_response(row.file, filename=row.original_name, content_type=row.content_type)
