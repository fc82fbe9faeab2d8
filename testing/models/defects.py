"""Defects and their comments."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from projects.scoping import ProjectScopedModel, VersionedModel
from testing.models.cases import Case
from testing.models.cycles import Cycle
from testing.models.runs import Execution, StepResult


class Defect(VersionedModel, ProjectScopedModel):
    """A defect: raised from a failed step (carrying case, step and environment) or on its own.

    The step is a link (``step_result``), not a copy: the defect shows the step's expected and
    actual result and its evidence as the run holds them, so evidence attached after raising
    shows too, files are not duplicated, and each file stays behind its scoped download route.
    A finished run's steps no longer change (a re-test is a new run), so the link cannot drift.
    """

    class Severity(models.TextChoices):
        CRITICAL = "critical", _("Critical")
        MAJOR = "major", _("Major")
        MINOR = "minor", _("Minor")
        TRIVIAL = "trivial", _("Trivial")

    class Priority(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        FIXED = "fixed", _("Fixed")
        RETEST = "retest", _("Retest")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="defects")
    code = models.CharField(_("code"), max_length=20, help_text=_("Given automatically, e.g. DEF-012."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, default=Severity.MAJOR)
    priority = models.CharField(_("priority"), max_length=20, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), null=True, blank=True, on_delete=models.SET_NULL, related_name="defects"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("test case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="defects"
    )
    execution = models.ForeignKey(
        Execution, verbose_name=_("execution"), null=True, blank=True, on_delete=models.SET_NULL, related_name="defects"
    )
    step_result = models.ForeignKey(
        StepResult, verbose_name=_("step"), null=True, blank=True, on_delete=models.SET_NULL, related_name="defects"
    )
    environment = models.ForeignKey(
        "development.Environment",
        verbose_name=_("environment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="defects",
    )
    development_item = models.ForeignKey(
        "development.DevelopmentItem",
        verbose_name=_("development item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="defects",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_defects",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("defect")
        indexes = [
            models.Index(fields=["project", "status"]),
            models.Index(fields=["project", "severity"]),
            # the default order of a project's defects: the newest page without sorting them all
            models.Index(fields=["project", "-created_at"], name="testing_defect_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                name="%(app_label)s_%(class)s_code_unique_per_project",
                violation_error_message=_("This code is already used in the project."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["closed", "rejected"], resolved_at__isnull=False)
                | (~models.Q(status__in=["closed", "rejected"]) & models.Q(resolved_at__isnull=True)),
                name="%(app_label)s_%(class)s_resolved_iff_closed",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("testing:defect_detail", args=[self.project.code, self.pk])


class DefectComment(ProjectScopedModel):
    """A comment on a defect (status changes with a note are recorded here too)."""

    scope_path = "defect__project"

    defect = models.ForeignKey(Defect, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))

    class Meta:
        ordering = ["defect", "created_at"]
        verbose_name = _("defect comment")

    def __str__(self):
        return self.body[:60]
