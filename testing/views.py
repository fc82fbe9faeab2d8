"""Pages of the testing app: the consultants' dashboard and the client portal's UAT pages.

Every page resolves the project from the URL (404 when the user is not a member), checks
its capability, reads through ``selectors`` and writes through ``services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from projects.actions import call_service
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability, can
from testing import exports, selectors, services
from testing.filters import CaseFilterSet, CycleFilterSet, DefectFilterSet, LoadTestResultFilterSet
from testing.forms import (
    AddCasesForm,
    AssignForm,
    CaseForm,
    CommentForm,
    CycleForm,
    CycleStatusForm,
    DefectEditForm,
    DefectForm,
    DefectTransitionForm,
    EvidenceForm,
    FinishForm,
    LoadResultForm,
    SignoffDecisionForm,
    SignoffRequestForm,
    StepResultForm,
    TraceabilityFilterForm,
)
from testing.models import CaseType, CycleCase, Defect, Execution, StepResult, StepStatus
from testing.transitions import DEFECT_TRANSITIONS, OPEN_DEFECT_STATUSES

C = Capability


def _blank_form():
    """A bound, validated empty form to collect a service's refusal (``call_service``)."""
    from django import forms

    form = forms.Form({})
    form.is_valid()
    return form


def _safe_next(request, fallback: str) -> str:
    """The ``next`` URL of a form when it stays on this site, else ``fallback``."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _errors_to_messages(request, form):
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))


# --- test cases --------------------------------------------------------------------------


class CaseListView(ProjectFilteredListView):
    template_name = "testing/case_list.html"
    paginate_by = 50
    context_object_name = "cases"
    filterset_class = CaseFilterSet

    def rows(self):
        return selectors.case_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["type_choices"] = CaseType.choices
        return context


class CaseEditView(ProjectAccessMixin, FormView):
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
            self.case = selectors.case_get(user=self.request.user, pk=self.kwargs["pk"], project=self.project)
            kwargs["initial"] = CaseForm.initial_for(self.case)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["case"] = self.case
        return context

    def form_valid(self, form):
        data = form.service_kwargs()
        if self.case:
            case = call_service(
                form,
                services.case_update,
                case=self.case,
                by=self.request.user,
                version=form.cleaned_data.get("version") or 0,
                **data,
            )
        else:
            case = call_service(form, services.case_create, project=self.project, by=self.request.user, **data)
        if case is None:
            if "steps" in form.errors:
                form.add_error("steps_text", form.errors.pop("steps"))
            return self.form_invalid(form)
        messages.success(self.request, _("Test case %(code)s saved.") % {"code": case.code})
        return redirect(case)


class CaseDetailView(ProjectAccessMixin, TemplateView):
    template_name = "testing/case_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = selectors.case_get(user=self.request.user, pk=self.kwargs["pk"], project=self.project)
        context.update(
            case=case,
            executions=selectors.execution_list(user=self.request.user).filter(case=case).order_by("-started_at"),
            defects=selectors.defect_list(user=self.request.user).filter(case=case),
        )
        return context


class CaseDeleteView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        case = selectors.case_get(user=request.user, pk=pk, project=self.project)
        form = _blank_form()
        if call_service(form, services.case_delete, case=case, by=request.user) is None and form.errors:
            _errors_to_messages(request, form)
            return redirect(case)
        messages.success(request, _("Test case deleted."))
        return redirect("testing:case_list", code=code)


# --- cycles ------------------------------------------------------------------------------


class CycleListView(ProjectAccessMixin, ListView):
    template_name = "testing/cycle_list.html"
    capability = C.VIEW
    paginate_by = 50
    context_object_name = "cycles"

    def get_queryset(self):
        base = selectors.cycle_list(user=self.request.user).filter(project=self.project)
        self.filterset = CycleFilterSet(self.request.GET, queryset=base, request=self.request)
        return self.filterset.qs


class CycleEditView(ProjectAccessMixin, FormView):
    template_name = "testing/cycle_form.html"
    form_class = CycleForm
    capability = C.EDIT

    def dispatch(self, request, *args, **kwargs):
        self.cycle = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        if self.kwargs.get("pk"):
            self.cycle = selectors.cycle_get(user=self.request.user, pk=self.kwargs["pk"], project=self.project)
            c = self.cycle
            kwargs["initial"] = {
                "version": c.version,
                "name": c.name,
                "type": c.type,
                "environment": c.environment,
                "planned_start": c.planned_start,
                "planned_end": c.planned_end,
            }
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycle"] = self.cycle
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.cycle:
            cycle = call_service(
                form, services.cycle_update, cycle=self.cycle, by=self.request.user, version=version or 0, **data
            )
        else:
            cycle = call_service(form, services.cycle_create, project=self.project, by=self.request.user, **data)
        if cycle is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Test cycle saved."))
        return redirect(cycle)


def cycle_context(request, project, cycle) -> dict:
    """What the cycle page and the sign-off page show: scope, results, defects, charts."""
    latest = selectors.latest_executions(cycle)
    scope = list(cycle.cycle_cases.select_related("case", "assignee").order_by("order", "case__code"))
    for row in scope:
        row.latest = latest.get(row.pk)
        row.may_run = services.may_execute(request.user, row)
    open_defects = list(services.cycle_open_defects(cycle))
    return {
        "cycle": cycle,
        "scope": scope,
        "counts": selectors.cycle_status_counts(cycle),
        "open_defects": open_defects,
        "open_critical": [d for d in open_defects if d.severity == Defect.Severity.CRITICAL],
        "deferred_defects": cycle.defects.filter(status=Defect.Status.DEFERRED),
        "progress_chart": selectors.execution_progress_chart(cycle),
        "defect_chart": selectors.defect_trend_chart(cycle),
    }


class CycleDetailView(ProjectAccessMixin, TemplateView):
    template_name = "testing/cycle_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = selectors.cycle_get(user=self.request.user, pk=self.kwargs["pk"], project=self.project)
        context.update(cycle_context(self.request, self.project, cycle))
        if can(self.request.user, self.project, C.EDIT):
            context["add_form"] = AddCasesForm(project=self.project, cycle=cycle)
            context["assign_form"] = AssignForm(project=self.project)
            context["status_form"] = CycleStatusForm(initial={"version": cycle.version, "status": cycle.status})
            context["signoff_form"] = SignoffRequestForm(project=self.project)
        return context


class CycleStatusView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        cycle = selectors.cycle_get(user=request.user, pk=pk, project=self.project)
        form = CycleStatusForm(request.POST)
        if form.is_valid() and call_service(
            form,
            services.cycle_update,
            cycle=cycle,
            by=request.user,
            version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        ):
            messages.success(request, _("Cycle status changed."))
        else:
            _errors_to_messages(request, form)
        return redirect(cycle)


class CycleAddCasesView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        cycle = selectors.cycle_get(user=request.user, pk=pk, project=self.project)
        form = AddCasesForm(request.POST, project=self.project, cycle=cycle)
        if form.is_valid() and call_service(
            form,
            services.cycle_add_cases,
            cycle=cycle,
            by=request.user,
            cases=list(form.cleaned_data["cases"]),
            assignee=form.cleaned_data["assignee"],
        ):
            messages.success(request, _("Cases added to the cycle."))
        else:
            _errors_to_messages(request, form)
        return redirect(cycle)


class CycleAssignView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk, cc):
        cycle = selectors.cycle_get(user=request.user, pk=pk, project=self.project)
        cycle_case = get_object_or_404(CycleCase.objects.filter(cycle=cycle), pk=cc)
        form = AssignForm(request.POST, project=self.project)
        if form.is_valid() and call_service(
            form,
            services.cycle_case_assign,
            cycle_case=cycle_case,
            by=request.user,
            assignee=form.cleaned_data["assignee"],
        ):
            messages.success(request, _("Tester assigned."))
        else:
            _errors_to_messages(request, form)
        return redirect(cycle)


class CycleSignoffRequestView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        cycle = selectors.cycle_get(user=request.user, pk=pk, project=self.project)
        form = SignoffRequestForm(request.POST, project=self.project)
        if form.is_valid() and call_service(
            form, services.cycle_signoff_request, cycle=cycle, by=request.user, approver=form.cleaned_data["approver"]
        ):
            messages.success(request, _("Sign-off requested."))
        else:
            _errors_to_messages(request, form)
        return redirect(cycle)


class SignoffView(ProjectAccessMixin, FormView):
    """The sign-off page: results, the open defects, the decision (with override for critical ones)."""

    template_name = "testing/signoff.html"
    form_class = SignoffDecisionForm
    capability = C.VIEW
    portal = False

    def get_cycle(self):
        return selectors.cycle_get(user=self.request.user, pk=self.kwargs["pk"], project=self.project)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = self.get_cycle()
        context.update(cycle_context(self.request, self.project, cycle))
        context["may_decide"] = (
            can(self.request.user, self.project, C.APPROVE)
            and cycle.signoff_id is not None
            and cycle.signoff.decision == "pending"
            and (cycle.signoff.approver_id in (None, self.request.user.pk) or self.request.user.is_staff)
        )
        context["base_template"] = "portal/base.html" if self.portal else "dashboard/base.html"
        context["ns"] = "testing-portal" if self.portal else "testing"
        return context

    def form_valid(self, form):
        if not can(self.request.user, self.project, C.APPROVE):
            raise PermissionDenied
        cycle = self.get_cycle()
        result = call_service(
            form, services.cycle_signoff_decide, cycle=cycle, by=self.request.user, **form.cleaned_data
        )
        if result is None:
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your decision on the sign-off of %(name)s is recorded.") % {"name": cycle.name}
        )
        return redirect(self.request.path)


# --- executions (shared by the dashboard and the portal) -------------------------------


class ExecutionMixin(ProjectAccessMixin):
    portal = False

    @property
    def ns(self):
        return "testing-portal" if self.portal else "testing"

    def get_execution(self) -> Execution:
        return selectors.execution_get(user=self.request.user, pk=self.kwargs["pk"], project=self.project)

    def execution_url(self, execution) -> str:
        return reverse(f"{self.ns}:execution_detail", args=[self.project.code, execution.pk])


class ExecutionStartView(ExecutionMixin, View):
    """Start a run (or a re-test) of a case in a cycle, then show it."""

    capability = C.PARTICIPATE

    def post(self, request, code, cc):
        cycle_case = get_object_or_404(
            CycleCase.objects.visible_to(request.user)
            .filter(cycle__project=self.project)
            .select_related("cycle", "case"),
            pk=cc,
        )
        form = _blank_form()
        execution = call_service(form, services.execution_start, cycle_case=cycle_case, by=request.user)
        if execution is None:
            _errors_to_messages(request, form)
            if self.portal:
                return redirect("testing-portal:uat_home", code=code)
            return redirect(cycle_case.cycle)
        return redirect(self.execution_url(execution))


class ExecutionDetailView(ExecutionMixin, TemplateView):
    template_name = "testing/execution_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        execution = self.get_execution()
        user = self.request.user
        may_record = (
            can(user, self.project, C.PARTICIPATE)
            and (execution.tester_id == user.pk or can(user, self.project, C.EDIT))
            and not execution.cycle.is_signed_off
        )
        context.update(
            execution=execution,
            history=execution.cycle_case.executions.order_by("-run"),
            step_choices=StepStatus.choices,
            may_record=may_record and execution.is_open,
            may_attach=may_record,
            may_raise=can(user, self.project, C.PARTICIPATE),
            finish_form=FinishForm(initial={"actual_result": execution.actual_result}),
            evidence_form=EvidenceForm(),
            defect_form=DefectForm(),
            defects=execution.defects.all(),
            base_template="portal/base.html" if self.portal else "dashboard/base.html",
            ns=self.ns,
            retest_allowed=not execution.is_open and services.may_execute(user, execution.cycle_case),
        )
        return context


class ExecutionStepView(ExecutionMixin, View):
    """Record one step's result; htmx swaps the step row, a plain POST redirects."""

    capability = C.PARTICIPATE

    def post(self, request, code, pk, order):
        execution = self.get_execution()
        form = StepResultForm(request.POST)
        if form.is_valid():
            call_service(
                form,
                services.execution_record_step,
                execution=execution,
                by=request.user,
                order=order,
                status=form.cleaned_data["status"],
                actual_result=form.cleaned_data["actual_result"],
            )
        if request.headers.get("HX-Request"):
            step = get_object_or_404(StepResult.objects.filter(execution=execution), order=order)
            return render(
                request,
                "testing/_step_row.html",
                {
                    "step": step,
                    "execution": execution,
                    "project": self.project,
                    "ns": self.ns,
                    "may_record": True,
                    "may_raise": can(request.user, self.project, C.PARTICIPATE),
                    "step_choices": StepStatus.choices,
                    "errors": [str(e) for errs in form.errors.values() for e in errs],
                },
            )
        _errors_to_messages(request, form)
        return redirect(self.execution_url(execution))


class ExecutionFinishView(ExecutionMixin, View):
    capability = C.PARTICIPATE

    def post(self, request, code, pk):
        execution = self.get_execution()
        form = FinishForm(request.POST)
        if form.is_valid():
            done = call_service(
                form,
                services.execution_finish,
                execution=execution,
                by=request.user,
                actual_result=form.cleaned_data["actual_result"],
            )
            if done:
                messages.success(request, _("Run finished: %(result)s.") % {"result": done.get_status_display()})
        _errors_to_messages(request, form)
        return redirect(self.execution_url(execution))


class EvidenceUploadView(ExecutionMixin, View):
    capability = C.PARTICIPATE

    def post(self, request, code, pk):
        execution = self.get_execution()
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid() and call_service(
            form,
            services.evidence_add,
            execution=execution,
            by=request.user,
            file=form.cleaned_data["file"],
            step_order=form.cleaned_data.get("step"),
        ):
            messages.success(request, _("Evidence attached."))
        else:
            _errors_to_messages(request, form)
        return redirect(self.execution_url(execution))


class EvidenceDownloadView(ProjectAccessMixin, View):
    capability = C.VIEW

    def get(self, request, code, pk):
        evidence = selectors.evidence_get(user=request.user, pk=pk, project=self.project)
        response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=evidence.original_name
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DefectFromStepView(ExecutionMixin, View):
    """Raise a defect from a failed (or blocked) step of the run."""

    capability = C.PARTICIPATE

    def post(self, request, code, pk):
        execution = self.get_execution()
        form = DefectForm(request.POST)
        defect = None
        if form.is_valid():
            data = dict(form.cleaned_data)
            step_pk = data.pop("step_result")
            step = get_object_or_404(StepResult.objects.filter(execution=execution), pk=step_pk) if step_pk else None
            defect = call_service(
                form,
                services.defect_create,
                project=self.project,
                by=request.user,
                step_result=step,
                cycle=execution.cycle,
                case=execution.case,
                **data,
            )
        if defect:
            messages.success(request, _("Defect %(code)s raised.") % {"code": defect.code})
        else:
            _errors_to_messages(request, form)
        return redirect(self.execution_url(execution))


# --- defects -----------------------------------------------------------------------------


class DefectListView(ProjectAccessMixin, ListView):
    template_name = "testing/defect_list.html"
    capability = C.VIEW
    paginate_by = 50
    context_object_name = "defects"

    def get_queryset(self):
        base = selectors.defect_list(user=self.request.user).filter(project=self.project)
        self.filterset = DefectFilterSet(self.request.GET, queryset=base, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filterset.form
        context["status_choices"] = Defect.Status.choices
        context["severity_choices"] = Defect.Severity.choices
        context["new_form"] = DefectForm()
        return context


class DefectCreateView(ProjectAccessMixin, FormView):
    template_name = "testing/defect_form.html"
    form_class = DefectForm
    capability = C.PARTICIPATE

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data.pop("step_result", None)
        defect = call_service(form, services.defect_create, project=self.project, by=self.request.user, **data)
        if defect is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Defect %(code)s raised.") % {"code": defect.code})
        return redirect(defect)


class DefectDetailView(ProjectAccessMixin, TemplateView):
    template_name = "testing/defect_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        defect = selectors.defect_get(user=self.request.user, pk=self.kwargs["pk"], project=self.project)
        moves = [
            (status, Defect.Status(status).label)
            for status, cap in DEFECT_TRANSITIONS.get(defect.status, {}).items()
            if can(self.request.user, self.project, cap)
        ]
        context.update(
            defect=defect,
            moves=moves,
            comment_form=CommentForm(),
            is_open=defect.status in OPEN_DEFECT_STATUSES,
        )
        if can(self.request.user, self.project, C.EDIT):
            context["edit_form"] = DefectEditForm(
                project=self.project,
                initial={
                    "version": defect.version,
                    "title": defect.title,
                    "description": defect.description,
                    "severity": defect.severity,
                    "priority": defect.priority,
                    "assignee": defect.assignee,
                    "development_item": defect.development_item,
                    "environment": defect.environment,
                },
            )
        return context


class DefectEditView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        defect = selectors.defect_get(user=request.user, pk=pk, project=self.project)
        form = DefectEditForm(request.POST, project=self.project)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            if call_service(form, services.defect_update, defect=defect, by=request.user, version=version, **data):
                messages.success(request, _("Defect saved."))
        _errors_to_messages(request, form)
        return redirect(defect)


class DefectTransitionView(ProjectAccessMixin, View):
    capability = C.PARTICIPATE

    def post(self, request, code, pk):
        defect = selectors.defect_get(user=request.user, pk=pk, project=self.project)
        form = DefectTransitionForm(request.POST)
        if form.is_valid() and call_service(
            form,
            services.defect_transition,
            defect=defect,
            by=request.user,
            to_status=form.cleaned_data["to_status"],
            comment=form.cleaned_data["comment"],
        ):
            messages.success(request, _("Defect status changed."))
        else:
            _errors_to_messages(request, form)
        return redirect(_safe_next(request, defect.get_absolute_url()))


class DefectCommentView(ProjectAccessMixin, View):
    capability = C.PARTICIPATE

    def post(self, request, code, pk):
        defect = selectors.defect_get(user=request.user, pk=pk, project=self.project)
        form = CommentForm(request.POST)
        if form.is_valid() and call_service(
            form, services.defect_comment_add, defect=defect, by=request.user, body=form.cleaned_data["body"]
        ):
            messages.success(request, _("Comment added."))
        else:
            _errors_to_messages(request, form)
        return redirect(_safe_next(request, defect.get_absolute_url()))


# --- load tests --------------------------------------------------------------------------


class LoadResultListView(ProjectAccessMixin, ListView):
    template_name = "testing/load_result_list.html"
    capability = C.VIEW
    paginate_by = 50
    context_object_name = "results"

    def get_queryset(self):
        base = selectors.load_result_list(user=self.request.user).filter(project=self.project)
        return LoadTestResultFilterSet(self.request.GET, queryset=base, request=self.request).qs


class LoadResultCreateView(ProjectAccessMixin, FormView):
    template_name = "testing/load_result_form.html"
    form_class = LoadResultForm
    capability = C.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        return kwargs

    def form_valid(self, form):
        result = call_service(
            form, services.load_result_record, project=self.project, by=self.request.user, **form.cleaned_data
        )
        if result is None:
            if "file" in form.errors:
                form.add_error("report", form.errors.pop("file"))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Load test result recorded: %(verdict)s.") % {"verdict": _("passed") if result.passed else _("failed")},
        )
        return redirect("testing:load_result_list", code=self.project.code)


class LoadReportDownloadView(ProjectAccessMixin, View):
    capability = C.VIEW

    def get(self, request, code, pk):
        result = get_object_or_404(
            selectors.load_result_list(user=request.user).filter(project=self.project).exclude(report=""), pk=pk
        )
        response = FileResponse(result.report.open("rb"), content_type="application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=result.report_name)
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- traceability ------------------------------------------------------------------------


class TraceabilityView(ProjectAccessMixin, TemplateView):
    template_name = "testing/traceability.html"
    capability = C.VIEW

    def filters(self) -> dict:
        form = TraceabilityFilterForm(self.request.GET)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        self.filter_form = form
        return {k: v for k, v in data.items() if v}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters()
        context.update(
            rows=selectors.traceability(user=self.request.user, project=self.project, filters=filters),
            coverage=selectors.coverage(user=self.request.user, project=self.project),
            filter_form=self.filter_form,
            coverage_labels={k: _(v) for k, v in selectors.COVERAGE_LABELS.items()},
            query=self.request.GET.urlencode(),
        )
        return context


class TraceabilityExportView(TraceabilityView):
    def get(self, request, *args, **kwargs):
        rows = selectors.traceability(user=request.user, project=self.project, filters=self.filters())
        content = exports.traceability_xlsx(
            self.project, rows, selectors.coverage(user=request.user, project=self.project)
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"traceability-{self.project.code}.xlsx"
        )
        return response


# --- client portal -----------------------------------------------------------------------


class UatHomeView(ProjectAccessMixin, TemplateView):
    """A client member's UAT page: the cases assigned to them and the sign-offs waiting."""

    template_name = "testing/portal/uat_home.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        assigned = list(selectors.assigned_cases(user=user, project=self.project))
        latest = {}
        for execution in Execution.objects.filter(cycle_case__in=assigned).order_by("cycle_case_id", "-run"):
            latest.setdefault(execution.cycle_case_id, execution)
        for row in assigned:
            row.latest = latest.get(row.pk)
        cycles = selectors.cycle_list(user=user).filter(project=self.project, type=CaseType.UAT)
        mine = (
            selectors.defect_list(user=user)
            .filter(project=self.project)
            .filter(Q(reported_by=user) | Q(execution__cycle_case__assignee=user))
        )
        context.update(
            assigned=assigned,
            cycles=cycles,
            may_approve=can(user, self.project, C.APPROVE),
            may_participate=can(user, self.project, C.PARTICIPATE),
            retest=mine.filter(status=Defect.Status.RETEST).distinct(),
            my_defects=mine.exclude(status=Defect.Status.RETEST).distinct()[:30],
            next_url=reverse("testing-portal:uat_home", args=[self.project.code]),
        )
        return context


class PortalExecutionStartView(ExecutionStartView):
    portal = True


class PortalExecutionDetailView(ExecutionDetailView):
    portal = True


class PortalExecutionStepView(ExecutionStepView):
    portal = True


class PortalExecutionFinishView(ExecutionFinishView):
    portal = True


class PortalEvidenceUploadView(EvidenceUploadView):
    portal = True


class PortalDefectFromStepView(DefectFromStepView):
    portal = True


class PortalSignoffView(SignoffView):
    portal = True
