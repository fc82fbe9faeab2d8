"""Test cycle pages: list, create/edit, detail (scope, testers, status), the sign-off request
and the sign-off page (dashboard and portal)."""

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView, filter_params, page_filter_form
from projects.roles import Capability, can, decide_refusal, may_decide, members_with
from testing import access, selectors, services
from testing.filters import CycleFilterSet, ScopeFilterSet
from testing.forms import AddCasesForm, AssignForm, CycleForm, CycleStatusForm, SignoffDecisionForm, SignoffRequestForm
from testing.models import Defect

C = Capability
SCOPE_PAGE_SIZE = 50
OPEN_DEFECTS_SHOWN = 20  # the most severe; the defect list has them all


class CycleListView(ProjectFilteredListView):
    template_name = "testing/cycle_list.html"
    context_object_name = "cycles"
    filterset_class = CycleFilterSet
    filter_fields = ("type", "status", "q")

    def rows(self):
        return selectors.cycle_list(user=self.request.user)


class CycleEditView(ServiceFormView):
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
            self.cycle = selectors.cycle_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])
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

    success_message = gettext_lazy("Test cycle saved.")

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.cycle:
            return services.cycle_update(cycle=self.cycle, by=self.request.user, version=version or 0, **data)
        return services.cycle_create(project=self.project, by=self.request.user, **data)


def cycle_context(request, project, cycle) -> dict:
    """What the cycle page and the sign-off page show: the scope (a filtered page of it),
    results, defects, charts. Its queries do not grow with the size of the cycle."""
    filterset = ScopeFilterSet(filter_params(request.GET), queryset=selectors.cycle_scope(cycle), request=request)
    page = Paginator(filterset.qs, SCOPE_PAGE_SIZE).get_page(request.GET.get("page"))
    scope = list(page.object_list)
    for row in scope:
        row.may_run = access.may_execute(request.user, row)
    open_defects = selectors.cycle_open_defects(cycle)
    return {
        "cycle": cycle,
        "scope": scope,
        "page_obj": page,
        "filter_form": page_filter_form(filterset.form, project=project, fields=("result", "assignee", "q")),
        "counts": selectors.cycle_status_counts(cycle),
        "open_defects": list(open_defects[:OPEN_DEFECTS_SHOWN]),
        "open_defect_count": open_defects.count(),
        "open_critical_count": open_defects.filter(severity=Defect.Severity.CRITICAL).count(),
        "deferred_defects": cycle.defects.filter(status=Defect.Status.DEFERRED),
        "progress_chart": selectors.execution_progress_chart(cycle),
        "defect_chart": selectors.defect_trend_chart(cycle),
    }


class CycleDetailView(ProjectAccessMixin, TemplateView):
    template_name = "testing/cycle_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cycle = selectors.cycle_get(user=user, project=self.project, pk=self.kwargs["pk"])
        context.update(cycle_context(self.request, self.project, cycle))
        if can(user, self.project, C.EDIT):
            search = self.request.GET.get("add_q", "").strip()
            context["add_form"] = AddCasesForm(project=self.project, cycle=cycle, search=search)
            context["add_search"] = search
            context["testers"] = list(members_with(self.project, C.PARTICIPATE))
            context["status_form"] = CycleStatusForm(user=user, cycle=cycle)
            context["signoff_form"] = SignoffRequestForm(project=self.project, user=user)
        return context


class CycleActionView(ServiceActionView):
    """A POST on one cycle of the project (the test team's: EDIT); back to the cycle page."""

    capability = C.EDIT

    def get_object(self):
        return selectors.cycle_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class CycleStatusView(CycleActionView):
    form_class = CycleStatusForm
    success_message = gettext_lazy("Cycle status changed.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "cycle": self.object}

    def perform(self, form):
        data = form.cleaned_data
        return services.cycle_update(
            cycle=self.object, by=self.request.user, version=data["version"], status=data["status"]
        )


class CycleAddCasesView(CycleActionView):
    form_class = AddCasesForm
    success_message = gettext_lazy("Cases added to the cycle.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project, "cycle": self.object}

    def perform(self, form):
        data = form.cleaned_data
        return services.cycle_add_cases(
            cycle=self.object, by=self.request.user, cases=list(data["cases"]), assignee=data["assignee"]
        )


class CycleAssignView(CycleActionView):
    form_class = AssignForm
    success_message = gettext_lazy("Tester assigned.")

    def get_object(self):
        cycle = super().get_object()
        self.cycle_case = selectors.cycle_case_get(
            user=self.request.user, project=self.project, pk=self.kwargs["cc"], cycle=cycle
        )
        return cycle

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def perform(self, form):
        return services.cycle_case_assign(
            cycle_case=self.cycle_case, by=self.request.user, assignee=form.cleaned_data["assignee"]
        )


class CycleSignoffRequestView(CycleActionView):
    form_class = SignoffRequestForm
    success_message = gettext_lazy("Sign-off requested.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project, "user": self.request.user}

    def perform(self, form):
        return services.cycle_signoff_request(
            cycle=self.object, by=self.request.user, approver=form.cleaned_data["approver"]
        )


class SignoffView(ServiceFormView):
    """The sign-off page: results, the open defects, the decision (with override for critical ones).

    The decision form is offered to whoever ``projects.roles.may_decide`` (never the one who
    requested the sign-off); the service refuses anyone else (403).
    """

    template_name = "testing/signoff.html"
    form_class = SignoffDecisionForm
    capability = C.VIEW
    portal = False

    def get_cycle(self):
        return selectors.cycle_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cycle = self.get_cycle()
        context.update(cycle_context(self.request, self.project, cycle))
        approval = cycle.signoff
        pending = approval is not None and approval.decision == "pending"
        context["may_decide"] = pending and may_decide(user, approval)
        refusal = decide_refusal(user, approval) if pending and can(user, self.project, C.APPROVE) else None
        context["decide_refusal"] = _(refusal) if refusal else ""
        context["base_template"] = "portal/base.html" if self.portal else "dashboard/base.html"
        context["ns"] = "testing-portal" if self.portal else "testing"
        return context

    def perform(self, form):
        return services.cycle_signoff_decide(cycle=self.get_cycle(), by=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return _("Your decision on the sign-off of %(name)s is recorded.") % {"name": result.name}

    def get_success_url(self, result=None):
        return self.request.path
