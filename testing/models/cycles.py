"""Test cycles and the cases in their scope."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Approval, Project
from projects.scoping import ProjectScopedModel, VersionedModel
from testing.models.cases import Case, CaseType


class Cycle(VersionedModel, ProjectScopedModel):
    """A test cycle: the cases in scope, who runs each, in which environment, when."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")

    Type = CaseType

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="test_cycles")
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=CaseType.choices, default=CaseType.FUNCTIONAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    environment = models.ForeignKey(
        "development.Environment",
        verbose_name=_("environment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="test_cycles",
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    signoff = models.OneToOneField(
        Approval,
        verbose_name=_("sign-off"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signed_test_cycle",
    )
    signoff_override_reason = models.TextField(
        _("override reason"),
        blank=True,
        help_text=_("Why the cycle was signed off with open critical defects."),
    )

    class Meta:
        ordering = ["project_id", "-planned_start", "name"]
        verbose_name = _("test cycle")
        verbose_name_plural = _("test cycles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("The planned end cannot be before the planned start."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("testing:cycle_detail", args=[self.project.code, self.pk])

    def signoff_title(self) -> str:
        """The title of this cycle's sign-off, in the reader's language (``Approval.display_title``)."""
        return _("Test cycle sign-off: %(name)s") % {"name": self.name}

    @property
    def is_signed_off(self) -> bool:
        return self.signoff_id is not None and self.signoff.decision == Approval.Decision.APPROVED


class CycleCase(ProjectScopedModel):
    """A case in a cycle's scope and the tester it is assigned to."""

    scope_path = "cycle__project"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="cycle_cases")
    case = models.ForeignKey(Case, on_delete=models.RESTRICT, related_name="cycle_cases")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tester"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_test_cases",
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["cycle", "order", "case__code"]
        verbose_name = _("case in cycle")
        verbose_name_plural = _("cases in cycle")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "case"],
                name="%(app_label)s_%(class)s_once_per_cycle",
                violation_error_message=_("This case is already in the cycle."),
            )
        ]

    def __str__(self):
        return f"{self.cycle} · {self.case.code}"
