"""Execution pages (dashboard and portal): start a run, record its steps (htmx), finish it,
attach and download evidence, raise a defect from a failed step."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from projects.actions import ServiceActionView
from projects.files import attachment_response
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability
from testing import access, selectors, services
from testing.forms import DefectForm, EvidenceForm, FinishForm, StepResultForm
from testing.views.common import ExecutionMixin

C = Capability


class ExecutionStartView(ExecutionMixin, ServiceActionView):
    """Start a run (or a re-test) of a case in a cycle, then show it."""

    capability = C.PARTICIPATE

    def get_object(self):
        return selectors.cycle_case_get(user=self.request.user, project=self.project, pk=self.kwargs["cc"])

    def perform(self, form):
        return services.execution_start(cycle_case=self.object, by=self.request.user)

    def get_success_url(self, result):
        if result is not None:
            return self.execution_url(result)
        if self.portal:
            return reverse("testing-portal:uat_home", args=[self.project.code])
        return self.object.cycle.get_absolute_url()


class ExecutionDetailView(ExecutionMixin, TemplateView):
    template_name = "testing/execution_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        execution = self.get_execution()
        step = self.step_context(execution)
        context.update(
            step,
            history=execution.cycle_case.executions.order_by("-run"),
            may_record=step["may_record"] and execution.is_open,
            may_attach=step["may_record"],
            finish_form=FinishForm(initial={"actual_result": execution.actual_result}),
            evidence_form=EvidenceForm(),
            defect_form=DefectForm(),
            defects=execution.defects.all(),
            base_template="portal/base.html" if self.portal else "dashboard/base.html",
            retest_allowed=not execution.is_open and access.may_execute(self.request.user, execution.cycle_case),
        )
        return context


class ExecutionActionView(ExecutionMixin, ServiceActionView):
    """A POST on one run (PARTICIPATE; the service decides who may record it); back to the run."""

    capability = C.PARTICIPATE

    def get_object(self):
        return self.get_execution()

    def get_success_url(self, result):
        return self.execution_url(self.object)


class ExecutionStepView(ExecutionActionView):
    """Record one step's result; htmx swaps the step row, a plain POST redirects."""

    form_class = StepResultForm
    partial_template = "testing/_step_row.html"

    def perform(self, form):
        return services.execution_record_step(
            execution=self.object,
            by=self.request.user,
            order=self.kwargs["order"],
            status=form.cleaned_data["status"],
            actual_result=form.cleaned_data["actual_result"],
        )

    def get_partial_context(self, form, result):
        step = selectors.step_result_get(execution=self.object, order=self.kwargs["order"])
        return {**self.step_context(self.object), "step": step}


class ExecutionFinishView(ExecutionActionView):
    form_class = FinishForm

    def perform(self, form):
        return services.execution_finish(
            execution=self.object, by=self.request.user, actual_result=form.cleaned_data["actual_result"]
        )

    def get_success_message(self, result):
        return _("Run finished: %(result)s.") % {"result": result.get_status_display()}


class EvidenceUploadView(ExecutionActionView):
    form_class = EvidenceForm
    success_message = gettext_lazy("Evidence attached.")

    def perform(self, form):
        return services.evidence_add(
            execution=self.object,
            by=self.request.user,
            file=form.cleaned_data["file"],
            step_order=form.cleaned_data.get("step"),
        )


class EvidenceDownloadView(ProjectAccessMixin, View):
    capability = C.VIEW

    def get(self, request, code, pk):
        evidence = selectors.evidence_get(user=request.user, project=self.project, pk=pk)
        return attachment_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


class DefectFromStepView(ExecutionActionView):
    """Raise a defect from a failed (or blocked) step of the run."""

    form_class = DefectForm

    def perform(self, form):
        data = dict(form.cleaned_data)
        step_pk = data.pop("step_result")
        execution = self.object
        step = selectors.step_result_get(execution=execution, pk=step_pk) if step_pk else None
        return services.defect_create(
            project=self.project,
            by=self.request.user,
            step_result=step,
            cycle=execution.cycle,
            case=execution.case,
            **data,
        )

    def get_success_message(self, result):
        return _("Defect %(code)s raised.") % {"code": result.code}
