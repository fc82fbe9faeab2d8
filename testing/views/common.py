"""What the testing pages share: the execution pages' mixin."""

from django.urls import reverse

from projects.mixins import ProjectAccessMixin
from projects.roles import Capability, can
from testing import access, selectors
from testing.models import Execution, StepStatus


class ExecutionMixin(ProjectAccessMixin):
    """The execution pages of the dashboard (``testing:``) and of the portal (``testing-portal:``)."""

    portal = False

    @property
    def ns(self):
        return "testing-portal" if self.portal else "testing"

    def get_execution(self) -> Execution:
        return selectors.execution_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def execution_url(self, execution) -> str:
        return reverse(f"{self.ns}:execution_detail", args=[self.project.code, execution.pk])

    def step_context(self, execution) -> dict:
        """What a step row needs (the page and the htmx partial): may the user record, raise a defect."""
        return {
            "execution": execution,
            "ns": self.ns,
            "may_record": access.may_record(self.request.user, execution),
            "may_raise": can(self.request.user, self.project, Capability.PARTICIPATE),
            "step_choices": StepStatus.choices,
        }
