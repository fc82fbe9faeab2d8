"""Design pages: the consultant dashboard (``/projects/<code>/design/``) and the client
portal's design sign-off (``/portal/<code>/design/``). Every write calls a service."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from erpimpl.errors import DomainError
from phases.design import selectors, services
from phases.design.api.views import NO_DIAGRAM, NO_EVIDENCE_FILE, bpmn_response
from phases.design.filters import FunctionDescriptionFilterSet, ProcessDesignFilterSet, TechnicalRequirementFilterSet
from phases.design.forms import (
    DecisionForm,
    FunctionDescriptionForm,
    ProcessDesignForm,
    StepFormSet,
    TechnicalRequirementForm,
)
from phases.design.models import DesignStatus
from projects import selectors as project_selectors
from projects.actions import call_service
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability

C = Capability


def _flash_errors(request, form):
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))


# --- process designs --------------------------------------------------------------------


class DesignListView(ProjectFilteredListView):
    template_name = "design/design_list.html"
    paginate_by = 50
    context_object_name = "designs"
    filterset_class = ProcessDesignFilterSet

    def rows(self):
        return selectors.process_design_list(user=self.request.user)


class DesignDetailView(ProjectAccessMixin, TemplateView):
    template_name = "design/design_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        design = selectors.process_design_get(user=user, pk=self.kwargs["pk"], project=self.project)
        context.update(
            design=design,
            versions=selectors.process_design_version_list(user=user).filter(design=design),
            functions=selectors.function_description_list(user=user).filter(design=design),
            audit=project_selectors.audit_entries(user=user, target=design)[:20],
            decision_form=DecisionForm(),
            statuses=DesignStatus,
        )
        return context


class DesignEditView(ProjectAccessMixin, FormView):
    """Create (no ``pk``) or change a design, its steps and its BPMN diagram."""

    template_name = "design/design_form.html"
    form_class = ProcessDesignForm
    capability = C.EDIT

    def dispatch(self, request, *args, **kwargs):
        self.design = None
        return super().dispatch(request, *args, **kwargs)

    def get_design(self):
        if "pk" in self.kwargs and self.design is None:
            self.design = selectors.process_design_get(
                user=self.request.user, pk=self.kwargs["pk"], project=self.project
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
        initial = [
            {"title": s.title, "actor": s.actor, "erp_function": s.erp_function, "work_instruction": s.work_instruction}
            for s in (design.steps.all() if design else [])
        ]
        if self.request.method == "POST":
            return StepFormSet(self.request.POST, initial=initial, prefix="steps")
        return StepFormSet(initial=initial, prefix="steps")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("steps", self.get_formset())
        context["design"] = self.get_design()
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        steps = self.get_formset()
        if not (form.is_valid() and steps.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, steps=steps))
        data = dict(form.cleaned_data)
        version = data.pop("version")
        bpmn_file = data.pop("bpmn_file")
        remove_bpmn = data.pop("remove_bpmn", False)
        step_rows = [row for row in steps.cleaned_data if row]
        design = self.get_design()
        if design is None:
            result = call_service(
                form,
                services.process_design_create,
                project=self.project,
                by=request.user,
                steps=step_rows,
                bpmn_file=bpmn_file,
                **data,
            )
        else:
            result = call_service(
                form,
                services.process_design_update,
                design=design,
                by=request.user,
                version=version or 0,
                steps=step_rows,
                bpmn_file=bpmn_file,
                remove_bpmn=remove_bpmn,
                **data,
            )
        if result is None:
            return self.render_to_response(self.get_context_data(form=form, steps=steps))
        messages.success(request, _("Process design %(code)s saved.") % {"code": result.code})
        return redirect(result.get_absolute_url())


class DesignDeleteView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        design = selectors.process_design_get(user=request.user, pk=pk, project=self.project)
        try:
            services.process_design_delete(design=design, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(design.get_absolute_url())
        messages.success(request, _("Process design %(code)s deleted.") % {"code": design.code})
        return redirect("design:design_list", code=code)


class DesignSubmitView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        design = selectors.process_design_get(user=request.user, pk=pk, project=self.project)
        try:
            services.process_design_submit(design=design, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Sign-off requested for %(code)s.") % {"code": design.code})
        return redirect(design.get_absolute_url())


def _decide(request, view, design, next_url):
    form = DecisionForm(request.POST)
    if form.is_valid() and call_service(
        form, services.process_design_decide, design=design, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Your decision on %(code)s is recorded.") % {"code": design.code})
    else:
        _flash_errors(request, form)
    return redirect(next_url)


class DesignDecideView(ProjectAccessMixin, View):
    capability = C.APPROVE

    def post(self, request, code, pk):
        design = selectors.process_design_get(user=request.user, pk=pk, project=self.project)
        return _decide(request, self, design, design.get_absolute_url())


class DesignBpmnDownloadView(ProjectAccessMixin, View):
    capability = C.VIEW

    def get(self, request, code, pk):
        design = selectors.process_design_get(user=request.user, pk=pk, project=self.project)
        if not design.bpmn_xml:
            raise Http404(NO_DIAGRAM)
        return bpmn_response(design.bpmn_xml, design.bpmn_filename or f"{design.code}.bpmn")


class VersionDetailView(ProjectAccessMixin, TemplateView):
    template_name = "design/version_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = get_object_or_404(
            selectors.process_design_version_list(user=self.request.user).filter(design__project=self.project),
            pk=self.kwargs["pk"],
        )
        context.update(version=version, design=version.design)
        return context


# --- function descriptions --------------------------------------------------------------


class FunctionListView(ProjectFilteredListView):
    template_name = "design/function_list.html"
    paginate_by = 50
    context_object_name = "functions"
    filterset_class = FunctionDescriptionFilterSet

    def rows(self):
        return selectors.function_description_list(user=self.request.user)


class FunctionEditView(ProjectAccessMixin, FormView):
    template_name = "design/function_form.html"
    form_class = FunctionDescriptionForm
    capability = C.EDIT

    def get_function(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(
            selectors.function_description_list(user=self.request.user).filter(project=self.project),
            pk=self.kwargs["pk"],
        )

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
        elif self.request.GET.get("requirement"):
            kwargs["initial"] = {"requirement": self.request.GET["requirement"]}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["function"] = self.function
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if self.function is None:
            result = call_service(
                form, services.function_description_create, project=self.project, by=self.request.user, **data
            )
        else:
            result = call_service(
                form,
                services.function_description_update,
                function=self.function,
                by=self.request.user,
                version=version or 0,
                **data,
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Function description saved."))
        return redirect("design:function_list", code=self.project.code)


class FunctionDeleteView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        function = get_object_or_404(
            selectors.function_description_list(user=request.user).filter(project=self.project), pk=pk
        )
        services.function_description_delete(function=function, by=request.user)
        messages.success(request, _("Function description deleted."))
        return redirect("design:function_list", code=code)


# --- technical requirements -------------------------------------------------------------


class TechnicalListView(ProjectFilteredListView):
    template_name = "design/technical_list.html"
    paginate_by = 50
    context_object_name = "technical_requirements"
    filterset_class = TechnicalRequirementFilterSet

    def rows(self):
        return selectors.technical_requirement_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = selectors.technical_requirement_summary(project=self.project)
        return context


class TechnicalEditView(ProjectAccessMixin, FormView):
    template_name = "design/technical_form.html"
    form_class = TechnicalRequirementForm
    capability = C.EDIT

    def get_requirement(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(
            selectors.technical_requirement_list(user=self.request.user).filter(project=self.project),
            pk=self.kwargs["pk"],
        )

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

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if not data.get("evidence_file"):
            data.pop("evidence_file", None)
        if self.requirement is None:
            data.pop("remove_evidence_file", None)
            result = call_service(
                form, services.technical_requirement_create, project=self.project, by=self.request.user, **data
            )
        else:
            result = call_service(
                form,
                services.technical_requirement_update,
                requirement=self.requirement,
                by=self.request.user,
                version=version or 0,
                **data,
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Technical requirement %(code)s saved.") % {"code": result.code})
        return redirect("design:technical_list", code=self.project.code)


class TechnicalDeleteView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        requirement = get_object_or_404(
            selectors.technical_requirement_list(user=request.user).filter(project=self.project), pk=pk
        )
        services.technical_requirement_delete(requirement=requirement, by=request.user)
        messages.success(request, _("Technical requirement deleted."))
        return redirect("design:technical_list", code=code)


class TechnicalEvidenceView(ProjectAccessMixin, View):
    capability = C.VIEW

    def get(self, request, code, pk):
        requirement = get_object_or_404(
            selectors.technical_requirement_list(user=request.user).filter(project=self.project), pk=pk
        )
        if not requirement.evidence_file:
            raise Http404(NO_EVIDENCE_FILE)
        return FileResponse(
            requirement.evidence_file.open("rb"),
            as_attachment=True,
            filename=requirement.evidence_filename or requirement.evidence_file.name.rsplit("/", 1)[-1],
        )


# --- coverage ---------------------------------------------------------------------------


class CoverageView(ProjectAccessMixin, TemplateView):
    template_name = "design/coverage.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        coverage = selectors.design_coverage(user=self.request.user, project=self.project)
        context["coverage"] = coverage
        context["chart_data"] = {
            "labels": [_("Covered"), _("Not covered")],
            "datasets": [
                {"label": _("Agreed requirements"), "data": [coverage.covered_count, coverage.uncovered_count]}
            ],
        }
        return context


# --- client portal ----------------------------------------------------------------------


class PortalSignoffListView(ProjectAccessMixin, TemplateView):
    """Designs waiting for sign-off, each with its BPMN diagram; approvers decide here."""

    template_name = "design/portal/signoff_list.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["designs"] = selectors.designs_in_review(user=user, project=self.project)
        context["approved"] = (
            selectors.process_design_list(user=user)
            .filter(project=self.project)
            .with_status([DesignStatus.APPROVED])
            .order_by("-approval__decided_at")[:20]
        )
        context["decision_form"] = DecisionForm()
        return context


class PortalDecideView(ProjectAccessMixin, View):
    capability = C.APPROVE

    def post(self, request, code, pk):
        design = selectors.process_design_get(user=request.user, pk=pk, project=self.project)
        return _decide(request, self, design, reverse("design-portal:signoff_list", args=[code]))


class PortalDesignDetailView(ProjectAccessMixin, TemplateView):
    """A process design as the client team reads it: to-be, diagram, steps, requirements."""

    template_name = "design/portal/design_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        design = selectors.process_design_get(user=user, pk=self.kwargs["pk"], project=self.project)
        context.update(
            design=design,
            versions=selectors.process_design_version_list(user=user).filter(design=design),
            decision_form=DecisionForm(),
        )
        return context
