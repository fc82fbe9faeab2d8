"""The project pages: home redirect, the dashboard of projects, a project's page, its settings and audit trail, and the client portal's landing pages."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from projects import selectors, services
from projects.actions import call_service
from projects.forms import (
    MembershipAddForm,
    ProjectCreateForm,
    ProjectUpdateForm,
)
from projects.mixins import ProjectAccessMixin
from projects.models import Approval, Phase
from projects.roles import Capability, is_client_only, may_create_project

C = Capability


def home(request):
    """Consultants land on the dashboard; client team members on the portal."""
    if is_client_only(request.user):
        return redirect("projects-portal:home")
    return redirect("projects:dashboard")


def _progress(user, project) -> dict:
    """A project's phases with their progress, the current phase and the overall figure."""
    rows = selectors.phase_progress(project=project, user=user)
    return {
        "phases": rows,
        "current": selectors.current_phase([r.phase for r in rows]),
        "progress": selectors.overall_progress(rows),
    }


def _project_cards(user, projects):
    return [{"project": project, **_progress(user, project)} for project in projects]


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
        context.update(
            **_progress(user, project),
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


class AuditView(ProjectAccessMixin, TemplateView):
    template_name = "projects/audit.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = selectors.audit_entries(user=self.request.user, project=self.project)
        context["page_obj"] = Paginator(entries, 50).get_page(self.request.GET.get("page"))
        return context


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
        overview = _progress(user, project)
        context.update(
            **overview,
            milestones=selectors.milestone_list(user=user).filter(project=project, internal=False),
            waiting=selectors.approvals_waiting_for(user=user, project=project),
            my_tasks=selectors.tasks_owned_by(user=user, project=project).filter(internal=False),
            decided=selectors.approval_list(user=user)
            .filter(project=project)
            .exclude(decision=Approval.Decision.PENDING)[:5],
            chart_data=_phases_chart(overview["phases"]),
            next_url=reverse("projects-portal:project", args=[project.code]),
        )
        return context
