"""Test cases and their ordered steps."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from projects.scoping import ProjectScopedModel, VersionedModel


class CaseType(models.TextChoices):
    FUNCTIONAL = "functional", _("Functional")
    INTEGRATION = "integration", _("Integration")
    LOAD = "load", _("Load")
    UAT = "uat", _("User acceptance (UAT)")
    REGRESSION = "regression", _("Regression")


class Case(VersionedModel, ProjectScopedModel):
    """A test case: what to check, in ordered steps, with the data to use."""

    Type = CaseType

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="test_cases")
    code = models.CharField(_("code"), max_length=20, help_text=_("Given automatically, e.g. TC-007."))
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=CaseType.choices, default=CaseType.FUNCTIONAL)
    preconditions = models.TextField(_("preconditions"), blank=True)
    test_data = models.TextField(_("test data"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_test_cases",
    )
    requirements = models.ManyToManyField(
        "discovery.Requirement", verbose_name=_("requirements"), blank=True, related_name="test_cases"
    )
    development_items = models.ManyToManyField(
        "development.DevelopmentItem", verbose_name=_("development items"), blank=True, related_name="test_cases"
    )

    class Meta:
        ordering = ["project_id", "code"]
        verbose_name = _("test case")
        verbose_name_plural = _("test cases")
        indexes = [models.Index(fields=["project", "type"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                name="%(app_label)s_%(class)s_code_unique_per_project",
                violation_error_message=_("This code is already used in the project."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("testing:case_detail", args=[self.project.code, self.pk])


class CaseStep(ProjectScopedModel):
    """One ordered step of a test case: the action and the result expected."""

    scope_path = "case__project"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    action = models.TextField(_("action"))
    expected_result = models.TextField(_("expected result"))

    class Meta:
        ordering = ["case", "order"]
        verbose_name = _("test step")
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="%(app_label)s_%(class)s_order_unique_per_case")
        ]

    def __str__(self):
        return f"{self.order}. {self.action[:60]}"
