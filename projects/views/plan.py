"""The plan: tasks (list with filters and a Gantt chart, edit, delete), milestones, and saving the plan as a template."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import selectors, services
from projects.actions import ServiceActionView, ServiceFormView
from projects.filters import TaskFilterSet
from projects.forms import (
    MilestoneForm,
    SaveTemplateForm,
    TaskForm,
)
from projects.mixins import ProjectFilteredListView
from projects.roles import Capability

C = Capability


class PlanView(ProjectFilteredListView):
    """The plan: tasks of every phase, filterable, with a Gantt chart."""

    template_name = "projects/plan.html"
    paginate_by = 50
    context_object_name = "tasks"
    filterset_class = TaskFilterSet
    filter_fields = ("phase", "status", "owner", "q")

    def rows(self):
        return selectors.task_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
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


class TaskEditView(ServiceFormView):
    template_name = "projects/task_form.html"
    form_class = TaskForm
    capability = C.EDIT
    success_message = gettext_lazy("Task saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        pk = self.kwargs.get("pk")
        self.task = selectors.task_get(user=self.request.user, project=self.project, pk=pk) if pk else None
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

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.task:
            return services.task_update(task=self.task, by=self.request.user, version=version or 0, **data)
        return services.task_create(project=self.project, by=self.request.user, **data)

    def get_success_url(self, result=None):
        return reverse("projects:plan", args=[self.project.code])


class TaskDeleteView(ServiceActionView):
    capability = C.EDIT
    success_message = gettext_lazy("Task deleted.")

    def get_object(self):
        return selectors.task_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        services.task_delete(task=self.object, by=self.request.user)
        return True

    def get_success_url(self, result):
        return reverse("projects:plan", args=[self.project.code])


class MilestoneEditView(ServiceFormView):
    template_name = "projects/milestone_form.html"
    form_class = MilestoneForm
    capability = C.EDIT
    success_message = gettext_lazy("Milestone saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        pk = self.kwargs.get("pk")
        self.milestone = selectors.milestone_get(user=self.request.user, project=self.project, pk=pk) if pk else None
        kwargs["project"] = self.project
        if self.milestone:
            kwargs["instance"] = self.milestone
            kwargs["initial"] = {"version": self.milestone.version}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["milestone"] = self.milestone
        if self.milestone:
            context["audit"] = selectors.audit_entries(user=self.request.user, target=self.milestone)[:20]
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.milestone:
            return services.milestone_update(
                milestone=self.milestone, by=self.request.user, version=version or 0, **data
            )
        return services.milestone_create(project=self.project, by=self.request.user, **data)

    def get_success_url(self, result=None):
        return self.project.get_absolute_url()


class MilestoneDeleteView(ServiceActionView):
    capability = C.EDIT
    success_message = gettext_lazy("Milestone deleted.")

    def get_object(self):
        return selectors.milestone_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        services.milestone_delete(milestone=self.object, by=self.request.user)
        return True

    def get_success_url(self, result):
        return self.project.get_absolute_url()


class SaveTemplateView(ServiceFormView):
    template_name = "projects/template_form.html"
    form_class = SaveTemplateForm
    capability = C.EDIT

    def perform(self, form):
        return services.template_create_from_project(project=self.project, by=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return _("Template “%(name)s” saved.") % {"name": result.name}

    def get_success_url(self, result=None):
        return self.project.get_absolute_url()
