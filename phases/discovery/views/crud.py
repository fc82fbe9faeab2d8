"""The list, detail, create/edit and delete pages of each discovery resource.

Each resource has one ``...Pages`` mixin naming its selectors, services and list; its
four pages are plain subclasses of the shapes in ``base.py``.
"""

from django.utils.translation import gettext_lazy as _
from django.views import View

from phases.discovery import exports, forms, selectors, services
from phases.discovery import filters as f
from phases.discovery.views.base import (
    DiscoveryDeleteView,
    DiscoveryDetailView,
    DiscoveryFormView,
    DiscoveryListView,
    ResourceMixin,
)
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability

# --- kick-off -------------------------------------------------------------------------


class KickoffPages(ResourceMixin):
    write_services = {
        "create": services.kickoff_create,
        "update": services.kickoff_update,
        "delete": services.kickoff_delete,
    }
    service_object = "kickoff"
    noun = _("kick-off")
    list_url_name = "discovery:kickoff_list"

    def rows(self):
        return selectors.kickoff_list(user=self.request.user)

    def get_instance(self, pk):
        return selectors.kickoff_get(user=self.request.user, project=self.project, pk=pk)


class KickoffList(KickoffPages, DiscoveryListView):
    filterset_class = f.KickoffFilterSet
    template_name = "discovery/kickoff_list.html"


class KickoffDetail(KickoffPages, DiscoveryDetailView):
    template_name = "discovery/kickoff_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["raci"] = selectors.raci_matrix(self.object)
        return context


class KickoffEdit(KickoffPages, DiscoveryFormView):
    form_class = forms.KickoffForm


class KickoffDelete(KickoffPages, DiscoveryDeleteView):
    pass


# --- stakeholders ---------------------------------------------------------------------


class StakeholderPages(ResourceMixin):
    write_services = {
        "create": services.stakeholder_create,
        "update": services.stakeholder_update,
        "delete": services.stakeholder_delete,
    }
    service_object = "stakeholder"
    noun = _("stakeholder")
    list_url_name = "discovery:stakeholder_list"

    def rows(self):
        return selectors.stakeholder_list(user=self.request.user)

    def get_instance(self, pk):
        return selectors.stakeholder_get(user=self.request.user, project=self.project, pk=pk)


class StakeholderList(StakeholderPages, DiscoveryListView):
    filterset_class = f.StakeholderFilterSet
    template_name = "discovery/stakeholder_list.html"


class StakeholderDetail(StakeholderPages, DiscoveryDetailView):
    template_name = "discovery/stakeholder_detail.html"


class StakeholderEdit(StakeholderPages, DiscoveryFormView):
    form_class = forms.StakeholderForm


class StakeholderDelete(StakeholderPages, DiscoveryDeleteView):
    pass


# --- current processes ----------------------------------------------------------------


class ProcessPages(ResourceMixin):
    write_services = {
        "create": services.current_process_create,
        "update": services.current_process_update,
        "delete": services.current_process_delete,
    }
    service_object = "process"
    noun = _("current process")
    list_url_name = "discovery:process_list"

    def rows(self):
        return selectors.current_process_list(user=self.request.user)

    def get_instance(self, pk):
        return selectors.current_process_get(user=self.request.user, project=self.project, pk=pk)


class ProcessList(ProcessPages, DiscoveryListView):
    filterset_class = f.CurrentProcessFilterSet
    template_name = "discovery/process_list.html"


class ProcessDetail(ProcessPages, DiscoveryDetailView):
    template_name = "discovery/process_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requirements"] = (
            selectors.requirement_list(user=self.request.user).filter(processes=self.object).order_by("code")
        )
        return context


class ProcessEdit(ProcessPages, DiscoveryFormView):
    form_class = forms.CurrentProcessForm


class ProcessDelete(ProcessPages, DiscoveryDeleteView):
    pass


# --- requirements ---------------------------------------------------------------------


class RequirementPages(ResourceMixin):
    write_services = {
        "create": services.requirement_create,
        "update": services.requirement_update,
        "delete": services.requirement_delete,
    }
    service_object = "requirement"
    noun = _("requirement")
    list_url_name = "discovery:requirement_list"

    def rows(self):
        return selectors.requirement_list(user=self.request.user)

    def get_instance(self, pk):
        return selectors.requirement_get(user=self.request.user, project=self.project, pk=pk)


class RequirementList(RequirementPages, DiscoveryListView):
    """The list; each row's status select offers the moves the user may make."""

    filterset_class = f.RequirementFilterSet
    template_name = "discovery/requirement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["objects"] = selectors.with_status_choices(
            context["objects"], user=self.request.user, project=self.project
        )
        return context


class RequirementDetail(RequirementPages, DiscoveryDetailView):
    template_name = "discovery/requirement_detail.html"


class RequirementEdit(RequirementPages, DiscoveryFormView):
    form_class = forms.RequirementForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.object is not None:  # a new requirement may start in any status
            form.fields["status"].choices = selectors.requirement_status_choices(
                user=self.request.user, project=self.project, current=self.object.status
            )
        return form


class RequirementDelete(RequirementPages, DiscoveryDeleteView):
    pass


# --- RAID log -------------------------------------------------------------------------


class RaidPages(ResourceMixin):
    write_services = {
        "create": services.raid_item_create,
        "update": services.raid_item_update,
        "delete": services.raid_item_delete,
    }
    service_object = "item"
    noun = _("RAID item")
    list_url_name = "discovery:raid_list"

    def rows(self):
        return selectors.raid_item_list(user=self.request.user)

    def get_instance(self, pk):
        return selectors.raid_item_get(user=self.request.user, project=self.project, pk=pk)


class RaidList(RaidPages, DiscoveryListView):
    filterset_class = f.RaidItemFilterSet
    template_name = "discovery/raid_list.html"


class RaidDetail(RaidPages, DiscoveryDetailView):
    template_name = "discovery/raid_detail.html"


class RaidEdit(RaidPages, DiscoveryFormView):
    form_class = forms.RaidItemForm


class RaidDelete(RaidPages, DiscoveryDeleteView):
    pass


# --- rollout waves --------------------------------------------------------------------


class WavePages(ResourceMixin):
    write_services = {
        "create": services.rollout_wave_create,
        "update": services.rollout_wave_update,
        "delete": services.rollout_wave_delete,
    }
    service_object = "wave"
    noun = _("rollout wave")
    list_url_name = "discovery:wave_list"

    def rows(self):
        return selectors.rollout_wave_list(user=self.request.user)

    def get_instance(self, pk):
        return selectors.rollout_wave_get(user=self.request.user, project=self.project, pk=pk)


class WaveList(WavePages, DiscoveryListView):
    filterset_class = f.RolloutWaveFilterSet
    template_name = "discovery/wave_list.html"


class WaveDetail(WavePages, DiscoveryDetailView):
    template_name = "discovery/wave_detail.html"


class WaveEdit(WavePages, DiscoveryFormView):
    form_class = forms.RolloutWaveForm


class WaveDelete(WavePages, DiscoveryDeleteView):
    pass


# --- plan documents -------------------------------------------------------------------


class DocumentPages(ResourceMixin):
    write_services = {
        "create": services.plan_document_create,
        "update": services.plan_document_update,
        "delete": services.plan_document_delete,
    }
    service_object = "document"
    noun = _("plan document")
    list_url_name = "discovery:document_list"

    def rows(self):
        return selectors.plan_document_list(user=self.request.user)

    def get_instance(self, pk):
        return selectors.plan_document_get(user=self.request.user, project=self.project, pk=pk)


class DocumentList(DocumentPages, DiscoveryListView):
    filterset_class = f.PlanDocumentFilterSet
    template_name = "discovery/document_list.html"


class DocumentDetail(DocumentPages, DiscoveryDetailView):
    template_name = "discovery/document_detail.html"


class DocumentEdit(DocumentPages, DiscoveryFormView):
    """Upload a document (the file is fixed afterwards; upload a new one to replace it)."""

    def get_form_class(self):
        return forms.PlanDocumentEditForm if "pk" in self.kwargs else forms.PlanDocumentForm


class DocumentDelete(DocumentPages, DiscoveryDeleteView):
    pass


class DocumentDownload(DocumentPages, ProjectAccessMixin, View):
    """The stored file as an attachment (the same response as the API's ``download``)."""

    capability = Capability.VIEW

    def get(self, request, code, pk):
        return exports.plan_document_response(self.get_instance(pk))
