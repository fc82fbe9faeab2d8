"""Portal pages of the cutover: a client user starts and finishes the tasks they own (directly or
through their owner team) in the run going on now. The service decides who may move a task."""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from golive import services
from golive.forms_cutover import FinishForm
from golive.selectors import cutover as selectors
from projects.actions import ServiceActionView
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability


class MyTasksView(ProjectAccessMixin, TemplateView):
    capability = Capability.VIEW
    template_name = "golive/portal/cutover_my_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run, tasks = selectors.my_run_tasks(user=self.request.user, project=self.project)
        context.update(run=run, tasks=list(tasks))
        return context


class MyTaskActionView(ServiceActionView):
    capability = Capability.PARTICIPATE

    def get_object(self):
        return selectors.run_task_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def get_success_url(self, result):
        return reverse("golive-portal:cutover_my_tasks", args=[self.project.code])


class MyTaskStartView(MyTaskActionView):
    success_message = gettext_lazy("Task started.")

    def perform(self, form):
        return services.cutover_run_task_start(task=self.object, by=self.request.user)


class MyTaskFinishView(MyTaskActionView):
    form_class = FinishForm
    success_message = gettext_lazy("Task finished.")

    def perform(self, form):
        return services.cutover_run_task_finish(
            task=self.object, by=self.request.user, passed=form.cleaned_data["passed"]
        )
