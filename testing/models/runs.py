"""Executions (runs) of a case in a cycle, their step results and evidence files."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.scoping import ProjectScopedModel
from testing.models.cases import Case, CaseStep
from testing.models.cycles import Cycle, CycleCase


class StepStatus(models.TextChoices):
    NOT_RUN = "not_run", _("Not run")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    BLOCKED = "blocked", _("Blocked")


class Execution(ProjectScopedModel):
    """One run of a case in a cycle. A re-test is a new execution (``run`` + 1); history stays."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        BLOCKED = "blocked", _("Blocked")

    scope_path = "cycle__project"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="executions")
    cycle_case = models.ForeignKey(CycleCase, on_delete=models.RESTRICT, related_name="executions")
    case = models.ForeignKey(Case, on_delete=models.RESTRICT, related_name="executions")
    run = models.PositiveSmallIntegerField(_("run"), default=1)
    status = models.CharField(_("result"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    actual_result = models.TextField(_("actual result"), blank=True)
    tester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tester"), on_delete=models.PROTECT, related_name="test_executions"
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "case__code", "-run"]
        verbose_name = _("test execution")
        verbose_name_plural = _("test executions")
        indexes = [
            models.Index(fields=["cycle", "status"]),
            # The API lists runs newest first: an index walk that stops at the page.
            models.Index(fields=["-started_at", "-id"], name="testing_execution_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle_case", "run"],
                name="%(app_label)s_%(class)s_run_unique",
                violation_error_message=_("This run of the case already exists."),
            ),
            models.UniqueConstraint(
                fields=["cycle_case"],
                condition=models.Q(status="in_progress"),
                name="%(app_label)s_%(class)s_one_open_run",
                violation_error_message=_("This case already has a run in progress."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="in_progress", finished_at__isnull=True)
                | (~models.Q(status="in_progress") & models.Q(finished_at__isnull=False)),
                name="%(app_label)s_%(class)s_finished_iff_result",
            ),
        ]

    def __str__(self):
        return f"{self.case.code} #{self.run}"

    def get_absolute_url(self):
        return reverse("testing:execution_detail", args=[self.cycle.project.code, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class StepResult(ProjectScopedModel):
    """The outcome of one step in one execution (the step's text is copied, so history holds)."""

    Status = StepStatus
    scope_path = "execution__cycle__project"

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="step_results")
    step = models.ForeignKey(CaseStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="results")
    order = models.PositiveSmallIntegerField(_("order"))
    action = models.TextField(_("action"))
    expected_result = models.TextField(_("expected result"))
    status = models.CharField(_("result"), max_length=20, choices=StepStatus.choices, default=StepStatus.NOT_RUN)
    actual_result = models.TextField(_("actual result"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["execution", "order"]
        verbose_name = _("step result")
        constraints = [
            models.UniqueConstraint(
                fields=["execution", "order"], name="%(app_label)s_%(class)s_order_unique_per_execution"
            )
        ]

    def __str__(self):
        return f"{self.execution} · {self.order}: {self.get_status_display()}"


def evidence_path(instance, filename):
    # A generated name: the user's file name is kept in ``original_name`` only.
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"testing/evidence/{uuid.uuid4().hex}.{suffix}"


class Evidence(ProjectScopedModel):
    """A file attached to an execution (optionally to one step): screenshot, log, export."""

    scope_path = "execution__cycle__project"

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="evidence")
    step_result = models.ForeignKey(
        StepResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["execution", "created_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name
