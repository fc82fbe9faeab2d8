"""Process design pages of the dashboard: list, detail, edit (steps and BPMN diagram),
delete, submit for sign-off, decide, the diagram download and earlier versions."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from phases.design import selectors, services
from phases.design.downloads import bpmn_download
from phases.design.filters import ProcessDesignFilterSet
from phases.design.forms import DecisionForm, ProcessDesignForm, StepFormSet
from projects import selectors as project_selectors
from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability

C = Capability


class DesignActionView(ServiceActionView):
    """A POST action on one process design of the project."""

    def get_object(self):
        return selectors.process_design_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])


class DesignListView(ProjectFilteredListView):
    template_name = "design/design_list.html"
    context_object_name = "designs"
    filterset_class = ProcessDesignFilterSet
    filter_fields = ("business_area", "status", "q")

    def rows(self):
        return selectors.process_design_list(user=self.request.user)


class DesignDetailView(ProjectAccessMixin, TemplateView):
    template_name = "design/design_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        design = selectors.process_design_get(user=user, project=self.project, pk=self.kwargs["pk"])
        context.update(
            design=design,
            versions=selectors.process_design_version_list(user=user).filter(design=design),
            functions=selectors.function_description_list(user=user).filter(design=design),
            audit=project_selectors.audit_entries(user=user, target=design)[:20],
            may_decide=selectors.may_decide_design(user=user, design=design),
        )
        return context


class DesignEditView(ServiceFormView):
    """Create (no ``pk``) or change a design, its steps and its BPMN diagram."""

    template_name = "design/design_form.html"
    form_class = ProcessDesignForm
    capability = C.EDIT

    def dispatch(self, request, *args, **kwargs):
        self.design = None
        self.steps = None
        return super().dispatch(request, *args, **kwargs)

    def get_design(self):
        if "pk" in self.kwargs and self.design is None:
            self.design = selectors.process_design_get(
                user=self.request.user, project=self.project, pk=self.kwargs["pk"]
            )
        return self.design

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        design = self.get_design()
        kwargs.update(project=self.project, design=design)
        if design is not None:
            kwargs["initial"] = {
                "version": design.version,
                "business_area": design.business_area,
                "name": design.name,
                "owner": design.owner,
                "as_is": design.as_is,
                "to_be": design.to_be,
                "requirements": list(design.requirements.all()),
            }
        return kwargs

    def get_formset(self):
        design = self.get_design()
        initial = selectors.process_step_rows(design) if design else []
        if self.request.method == "POST":
            return StepFormSet(self.request.POST, initial=initial, prefix="steps")
        return StepFormSet(initial=initial, prefix="steps")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["steps"] = self.steps or self.get_formset()
        context["design"] = self.get_design()
        return context

    def post(self, request, *args, **kwargs):
        """The steps are a formset next to the form: both must be valid before the service runs."""
        self.steps = self.get_formset()
        if not self.steps.is_valid():
            form = self.get_form()
            form.is_valid()
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        remove_bpmn = data.pop("remove_bpmn", False)
        data["steps"] = [row for row in self.steps.cleaned_data if row]
        design = self.get_design()
        if design is None:
            return services.process_design_create(project=self.project, by=self.request.user, **data)
        return services.process_design_update(
            design=design, by=self.request.user, version=version or 0, remove_bpmn=remove_bpmn, **data
        )

    def get_success_message(self, result):
        return _("Process design %(code)s saved.") % {"code": result.code}


class DesignDeleteView(DesignActionView):
    capability = C.EDIT

    def perform(self, form):
        services.process_design_delete(design=self.object, by=self.request.user)
        return True

    def get_success_message(self, result):
        return _("Process design %(code)s deleted.") % {"code": self.object.code}

    def get_success_url(self, result):
        if result:
            return reverse("design:design_list", args=[self.project.code])
        return super().get_success_url(result)


class DesignSubmitView(DesignActionView):
    capability = C.EDIT

    def perform(self, form):
        return services.process_design_submit(design=self.object, by=self.request.user)

    def get_success_message(self, result):
        return _("Sign-off requested for %(code)s.") % {"code": self.object.code}


class DesignDecideView(DesignActionView):
    """Approve or reject a design in review (``APPROVE``; never the requester: 403)."""

    capability = C.APPROVE
    form_class = DecisionForm

    def perform(self, form):
        return services.process_design_decide(design=self.object, by=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return _("Your decision on %(code)s is recorded.") % {"code": self.object.code}


class DesignBpmnDownloadView(ProjectAccessMixin, View):
    capability = C.VIEW

    def get(self, request, code, pk):
        return bpmn_download(selectors.process_design_get(user=request.user, project=self.project, pk=pk))


class VersionDetailView(ProjectAccessMixin, TemplateView):
    template_name = "design/version_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = selectors.process_design_version_get(
            user=self.request.user, project=self.project, pk=self.kwargs["pk"]
        )
        context.update(version=version, design=version.design)
        return context
