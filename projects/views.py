"""Dashboard pages of the projects app (consultants) and the client portal landing pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from projects import selectors, services
from projects.actions import call_service
from projects.filters import TaskFilterSet
from projects.forms import (
    ApprovalDecisionForm,
    MembershipAddForm,
    MilestoneForm,
    PhaseStatusForm,
    ProjectCreateForm,
    ProjectUpdateForm,
    SaveTemplateForm,
    TaskForm,
    TokenCreateForm,
)
from projects.mixins import ProjectAccessMixin
from projects.models import Approval, Membership, Phase
from projects.roles import Capability, is_client_only, may_create_project

C = Capability


@login_required
def home(request):
    """Consultants land on the dashboard; client team members on the portal."""
    if is_client_only(request.user):
        return redirect("projects-portal:home")
    return redirect("projects:dashboard")


def _project_cards(user, projects):
    cards = []
    for project in projects:
        rows = selectors.phase_progress(project=project, user=user)
        cards.append(
            {
                "project": project,
                "phases": rows,
                "current": selectors.current_phase([r.phase for r in rows]),
                "progress": selectors.overall_progress(rows),
            }
        )
    return cards


def _projects_chart(cards) -> dict:
    """Chart.js data: one bar group per project, one bar per phase (progress %)."""
    kinds = [(row.phase.kind, row.phase.get_kind_display()) for row in cards[0]["phases"]] if cards else []
    return {
        "labels": [card["project"].code for card in cards],
        "datasets": [
            {
                "label": str(label),
                "data": [next((r.progress for r in c["phases"] if r.phase.kind == kind), 0) for c in cards],
            }
            for kind, label in kinds
        ],
        "max": 100,
    }


def _phases_chart(rows) -> dict:
    return {
        "labels": [str(r.phase.get_kind_display()) for r in rows],
        "datasets": [{"label": _("Progress %"), "data": [r.progress for r in rows]}],
        "max": 100,
    }


class DashboardView(LoginRequiredMixin, ListView):
    template_name = "projects/dashboard.html"
    context_object_name = "projects"
    paginate_by = 20

    def get_queryset(self):
        return selectors.project_list(user=self.request.user, filters=self.request.GET, request=self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = _project_cards(self.request.user, context["page_obj"].object_list)
        context["chart_data"] = _projects_chart(context["cards"])
        context["may_create"] = may_create_project(self.request.user)
        return context


class ProjectCreateView(LoginRequiredMixin, FormView):
    template_name = "projects/project_form.html"
    form_class = ProjectCreateForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not may_create_project(user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        project = call_service(form, services.project_create, by=self.request.user, **form.cleaned_data)
        if project is None:
            return self.form_invalid(form)
        messages.success(
            self.request, _("Project %(code)s created with its six phases and plan.") % {"code": project.code}
        )
        return redirect(project)


class ProjectDetailView(ProjectAccessMixin, TemplateView):
    template_name = "projects/project_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, project = self.request.user, self.project
        rows = selectors.phase_progress(project=project, user=user)
        context.update(
            phases=rows,
            current=selectors.current_phase([r.phase for r in rows]),
            progress=selectors.overall_progress(rows),
            milestones=selectors.milestone_list(user=user).filter(project=project),
            members=project.memberships.select_related("user").order_by("role", "user__username"),
            approvals=selectors.approval_list(user=user).filter(project=project)[:10],
            waiting=selectors.approvals_waiting_for(user=user, project=project),
            audit=selectors.audit_entries(user=user, project=project)[:10],
            member_form=MembershipAddForm(),
            status_choices=Phase.Status.choices,
            next_url=project.get_absolute_url(),
        )
        return context


class ProjectUpdateView(ProjectAccessMixin, FormView):
    template_name = "projects/project_edit.html"
    form_class = ProjectUpdateForm
    capability = C.MANAGE

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.project
        kwargs["initial"] = {"version": self.project.version}
        return kwargs

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        project = call_service(
            form, services.project_update, project=self.project, by=self.request.user, version=version, **data
        )
        if project is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Project saved."))
        return redirect(project)


class PhaseStatusView(ProjectAccessMixin, View):
    """Inline status change of a phase (htmx swaps the row; plain POST redirects)."""

    capability = C.EDIT

    def post(self, request, code, pk):
        phase = get_object_or_404(selectors.phase_list(user=request.user), pk=pk, project=self.project)
        form = PhaseStatusForm(request.POST)
        if form.is_valid():
            updated = call_service(
                form,
                services.phase_update,
                phase=phase,
                by=request.user,
                version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
            phase = updated or phase
        if request.headers.get("HX-Request"):
            row = next(
                r for r in selectors.phase_progress(project=self.project, user=request.user) if r.phase.pk == phase.pk
            )
            return render(
                request,
                "projects/_phase_row.html",
                {
                    "row": row,
                    "project": self.project,
                    "status_choices": Phase.Status.choices,
                    "errors": form.errors.get("__all__") or form.errors.get("status"),
                },
            )
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(self.project)


class PhaseGateRequestView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        phase = get_object_or_404(selectors.phase_list(user=request.user), pk=pk, project=self.project)
        services.phase_request_gate(phase=phase, by=request.user)
        messages.success(request, _("Gate sign-off requested for %(phase)s.") % {"phase": phase.get_kind_display()})
        return redirect(self.project)


class ApprovalDecideView(ProjectAccessMixin, View):
    capability = C.APPROVE

    def post(self, request, code, pk):
        approval = get_object_or_404(selectors.approval_list(user=request.user), pk=pk, project=self.project)
        form = ApprovalDecisionForm(request.POST)
        if form.is_valid() and call_service(
            form, services.approval_decide, approval=approval, by=request.user, **form.cleaned_data
        ):
            messages.success(request, _("Your decision on “%(title)s” is recorded.") % {"title": approval.title})
        else:
            for error in form.errors.values():
                messages.error(request, " ".join(error))
        return redirect(request.POST.get("next") or self.project.get_absolute_url())


class MembershipAddView(ProjectAccessMixin, View):
    capability = C.MANAGE

    def post(self, request, code):
        form = MembershipAddForm(request.POST)
        if form.is_valid() and call_service(
            form,
            services.membership_create,
            project=self.project,
            by=request.user,
            user=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
        ):
            messages.success(request, _("Member added."))
        else:
            for error in form.errors.values():
                messages.error(request, " ".join(error))
        return redirect(self.project)


class MembershipRemoveView(ProjectAccessMixin, View):
    capability = C.MANAGE

    def post(self, request, code, pk):
        membership = get_object_or_404(Membership.objects.filter(project=self.project), pk=pk)
        form = MembershipAddForm()
        if (
            call_service(form, services.membership_delete, membership=membership, by=request.user) is None
            and form.errors
        ):
            for error in form.errors.values():
                messages.error(request, " ".join(error))
        else:
            messages.success(request, _("Member removed."))
        return redirect(self.project)


class PlanView(ProjectAccessMixin, ListView):
    """The plan: tasks of every phase, filterable, with a Gantt chart."""

    template_name = "projects/plan.html"
    capability = C.VIEW
    paginate_by = 50
    context_object_name = "tasks"

    def get_queryset(self):
        self.filterset = TaskFilterSet(
            self.request.GET,
            queryset=selectors.task_list(user=self.request.user).filter(project=self.project),
            request=self.request,
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filterset.form
        context["gantt"] = [
            {
                "id": t.pk,
                "name": t.title,
                "start": t.start.isoformat(),
                "end": t.due.isoformat(),
                "progress": t.progress,
                "phase": t.phase.kind,
                "deps": [d.pk for d in t.depends_on.all()],
            }
            for t in self.filterset.qs
            if t.start and t.due
        ]
        return context


class TaskEditView(ProjectAccessMixin, FormView):
    template_name = "projects/task_form.html"
    form_class = TaskForm
    capability = C.EDIT

    def get_task(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(selectors.task_list(user=self.request.user), pk=pk, project=self.project)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.task = self.get_task()
        kwargs["project"] = self.project
        if self.task:
            kwargs["instance"] = self.task
            kwargs["initial"] = {"version": self.task.version}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["task"] = self.task
        if self.task:
            context["audit"] = selectors.audit_entries(user=self.request.user, target=self.task)[:20]
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.task:
            result = call_service(
                form, services.task_update, task=self.task, by=self.request.user, version=version or 0, **data
            )
        else:
            result = call_service(form, services.task_create, project=self.project, by=self.request.user, **data)
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Task saved."))
        return redirect("projects:plan", code=self.project.code)


class TaskDeleteView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        task = get_object_or_404(selectors.task_list(user=request.user), pk=pk, project=self.project)
        services.task_delete(task=task, by=request.user)
        messages.success(request, _("Task deleted."))
        return redirect("projects:plan", code=code)


class MilestoneEditView(ProjectAccessMixin, FormView):
    template_name = "projects/milestone_form.html"
    form_class = MilestoneForm
    capability = C.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        pk = self.kwargs.get("pk")
        self.milestone = (
            get_object_or_404(selectors.milestone_list(user=self.request.user), pk=pk, project=self.project)
            if pk
            else None
        )
        kwargs["project"] = self.project
        if self.milestone:
            kwargs["instance"] = self.milestone
            kwargs["initial"] = {"version": self.milestone.version}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["milestone"] = self.milestone
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.milestone:
            result = call_service(
                form,
                services.milestone_update,
                milestone=self.milestone,
                by=self.request.user,
                version=version or 0,
                **data,
            )
        else:
            result = call_service(form, services.milestone_create, project=self.project, by=self.request.user, **data)
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Milestone saved."))
        return redirect(self.project)


class MilestoneDeleteView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        milestone = get_object_or_404(selectors.milestone_list(user=request.user), pk=pk, project=self.project)
        services.milestone_delete(milestone=milestone, by=request.user)
        messages.success(request, _("Milestone deleted."))
        return redirect(self.project)


class SaveTemplateView(ProjectAccessMixin, FormView):
    template_name = "projects/template_form.html"
    form_class = SaveTemplateForm
    capability = C.EDIT

    def form_valid(self, form):
        template = call_service(
            form, services.template_create_from_project, project=self.project, by=self.request.user, **form.cleaned_data
        )
        if template is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Template “%(name)s” saved.") % {"name": template.name})
        return redirect(self.project)


class AuditView(ProjectAccessMixin, TemplateView):
    template_name = "projects/audit.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = selectors.audit_entries(user=self.request.user, project=self.project)
        context["page_obj"] = Paginator(entries, 50).get_page(self.request.GET.get("page"))
        return context


class ProfileView(LoginRequiredMixin, FormView):
    """The user's profile: API tokens (create, shown once; list; revoke)."""

    template_name = "projects/profile.html"
    form_class = TokenCreateForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = services.token_list(user=self.request.user)
        context["memberships"] = self.request.user.memberships.select_related("project")
        return context

    def form_valid(self, form):
        instance, token = services.token_create(user=self.request.user, expiry_days=form.cleaned_data["expiry_days"])
        context = self.get_context_data(form=self.form_class())
        context["new_token"] = token
        return self.render_to_response(context)


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, token_key):
        if services.token_revoke(user=request.user, token_key=token_key):
            messages.success(request, _("Token revoked."))
        return redirect("profile")


# --- client portal ----------------------------------------------------------------------


class PortalHomeView(LoginRequiredMixin, TemplateView):
    template_name = "portal/home.html"

    def get(self, request, *args, **kwargs):
        projects = list(selectors.project_list(user=request.user))
        if len(projects) == 1:
            return redirect("projects-portal:project", code=projects[0].code)
        return super().get(request, *args, projects=projects, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = _project_cards(self.request.user, context["projects"])
        return context


class PortalProjectView(ProjectAccessMixin, TemplateView):
    """A client member's page: progress, milestones, what waits for them. Nothing internal."""

    template_name = "portal/project.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, project = self.request.user, self.project
        rows = selectors.phase_progress(project=project, user=user)
        context.update(
            phases=rows,
            current=selectors.current_phase([r.phase for r in rows]),
            progress=selectors.overall_progress(rows),
            milestones=selectors.milestone_list(user=user).filter(project=project, internal=False),
            waiting=selectors.approvals_waiting_for(user=user, project=project),
            my_tasks=selectors.tasks_owned_by(user=user, project=project).filter(internal=False),
            decided=selectors.approval_list(user=user)
            .filter(project=project)
            .exclude(decision=Approval.Decision.PENDING)[:5],
            chart_data=_phases_chart(rows),
            next_url=reverse("projects-portal:project", args=[project.code]),
        )
        return context
