"""Development phase: custom features and extensions (RICEFW-style items), environments, releases.

* ``DevelopmentItem``: one custom report, interface, conversion, enhancement, form, workflow
  or analytics object, with a per-project code (``DEV-001``). Its status moves only along
  ``phases.development.transitions.ITEM_TRANSITIONS`` (enforced in the service). Its
  ``complexity`` and ``estimate_days`` are internal: client roles never see them (API,
  pages, audit trail).
* ``Environment``: a system landscape tier of the project (DEV, TEST, UAT, PROD...).
* ``Release``: a transport moving a set of items from one environment to the next, with
  the date and who did it.

Public for other apps (e.g. ``testing``): these models, read through
``phases.development.selectors``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from projects.scoping import ProjectScopedModel, VersionedModel

__all__ = ["DevelopmentItem", "Environment", "Release"]


class Environment(VersionedModel, ProjectScopedModel):
    """One tier of the project's system landscape (development, test, UAT, production...)."""

    class Kind(models.TextChoices):
        DEVELOPMENT = "development", _("Development")
        TEST = "test", _("Test")
        UAT = "uat", _("UAT")
        TRAINING = "training", _("Training")
        PRODUCTION = "production", _("Production")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        REFRESHING = "refreshing", _("Refreshing")
        DEGRADED = "degraded", _("Degraded")
        UNAVAILABLE = "unavailable", _("Unavailable")
        RETIRED = "retired", _("Retired")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="environments"
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("Short name, e.g. DEV, TEST, UAT, PROD."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEVELOPMENT)
    order = models.PositiveSmallIntegerField(
        _("order"), default=1, help_text=_("Position in the promotion path (DEV=1, TEST=2, ...).")
    )
    url = models.URLField(_("URL"), blank=True)
    software_version = models.CharField(
        _("version"), max_length=60, blank=True, help_text=_("Installed ERP version or build.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    last_refresh = models.DateTimeField(_("last refresh"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["project_id", "order", "name"]
        verbose_name = _("environment")
        verbose_name_plural = _("environments")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="development_environment_unique_name",
                violation_error_message=_("This project already has an environment with this name."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("development:environment_list", args=[self.project.code])


class DevelopmentItem(VersionedModel, ProjectScopedModel):
    """A custom feature or extension to build: report, interface, conversion, enhancement, form,
    workflow or analytics. Interfaces also record the external system and how data flows."""

    class Type(models.TextChoices):
        REPORT = "report", _("Report")
        INTERFACE = "interface", _("Interface")
        CONVERSION = "conversion", _("Conversion")
        ENHANCEMENT = "enhancement", _("Enhancement")
        FORM = "form", _("Form")
        WORKFLOW = "workflow", _("Workflow")
        ANALYTICS = "analytics", _("Analytics")

    class Status(models.TextChoices):
        DESIGNED = "designed", _("Designed")
        IN_DEVELOPMENT = "in_development", _("In development")
        DEV_TESTED = "dev_tested", _("Dev-tested")
        READY_FOR_TEST = "ready_for_test", _("Ready for test")
        ACCEPTED = "accepted", _("Accepted")
        CANCELLED = "cancelled", _("Cancelled")

    class Complexity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        VERY_HIGH = "very_high", _("Very high")

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound")
        OUTBOUND = "outbound", _("Outbound")
        BOTH = "both", _("Both directions")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="development_items"
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    code = models.CharField(_("code"), max_length=20, editable=False)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DESIGNED)
    requirements = models.ManyToManyField(
        "discovery.Requirement", verbose_name=_("requirements"), blank=True, related_name="development_items"
    )
    process_designs = models.ManyToManyField(
        "design.ProcessDesign", verbose_name=_("process designs"), blank=True, related_name="development_items"
    )
    function_descriptions = models.ManyToManyField(
        "design.FunctionDescription",
        verbose_name=_("function descriptions"),
        blank=True,
        related_name="development_items",
    )
    # Internal: hidden from client roles everywhere (serializers, templates, audit trail).
    complexity = models.CharField(_("complexity"), max_length=20, choices=Complexity.choices, blank=True)
    estimate_days = models.DecimalField(
        _("estimate (person-days)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development_items",
    )
    target_environment = models.ForeignKey(
        Environment,
        verbose_name=_("target environment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targeted_items",
    )
    target_release = models.ForeignKey(
        "Release",
        verbose_name=_("target release"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targeted_items",
    )
    current_environment = models.ForeignKey(
        Environment,
        verbose_name=_("current environment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="current_items",
        help_text=_("Set by transports: the furthest environment the item was moved to."),
    )
    # Interfaces (extensions integrating an external system).
    external_system = models.CharField(_("external system"), max_length=120, blank=True)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices, blank=True)
    protocol = models.CharField(
        _("protocol"), max_length=60, blank=True, help_text=_("e.g. REST, SOAP, SFTP file, EDI, database link.")
    )
    frequency = models.CharField(
        _("frequency"), max_length=60, blank=True, help_text=_("e.g. real time, hourly, nightly batch.")
    )
    data_objects = models.CharField(
        _("data objects"), max_length=300, blank=True, help_text=_("e.g. sales orders, invoices, stock levels.")
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    class Meta:
        ordering = ["project_id", "number"]
        verbose_name = _("development item")
        verbose_name_plural = _("development items")
        indexes = [models.Index(fields=["project", "status"], name="development_item_proj_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="development_developmentitem_unique_number",
                violation_error_message=_("This project already has a development item with this number."),
            ),
            models.UniqueConstraint(
                fields=["project", "code"],
                name="development_developmentitem_unique_code",
                violation_error_message=_("This project already has a development item with this code."),
            ),
            models.CheckConstraint(
                condition=~models.Q(type="interface") | (~models.Q(external_system="") & ~models.Q(direction="")),
                name="development_developmentitem_interface_has_system",
                violation_error_message=_("An interface needs the external system and the direction."),
            ),
            models.CheckConstraint(
                condition=models.Q(estimate_days__isnull=True) | models.Q(estimate_days__gte=0),
                name="development_developmentitem_estimate_not_negative",
                violation_error_message=_("The estimate cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("development:item_detail", args=[self.project.code, self.pk])

    @property
    def is_interface(self) -> bool:
        return self.type == self.Type.INTERFACE


class Release(VersionedModel, ProjectScopedModel):
    """A release (transport) moving a set of development items from one environment to the next."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        TRANSPORTED = "transported", _("Transported")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField(_("number"), editable=False)
    code = models.CharField(_("code"), max_length=20, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source_environment = models.ForeignKey(
        Environment,
        verbose_name=_("from environment"),
        on_delete=models.RESTRICT,
        related_name="outgoing_releases",
    )
    target_environment = models.ForeignKey(
        Environment,
        verbose_name=_("to environment"),
        on_delete=models.RESTRICT,
        related_name="incoming_releases",
    )
    items = models.ManyToManyField(
        DevelopmentItem, verbose_name=_("development items"), blank=True, related_name="releases"
    )
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    transported_at = models.DateTimeField(_("transported at"), null=True, blank=True)
    transported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("transported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["project_id", "-number"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="development_release_unique_number",
                violation_error_message=_("This project already has a release with this number."),
            ),
            models.CheckConstraint(
                condition=~models.Q(source_environment=models.F("target_environment")),
                name="development_release_different_environments",
                violation_error_message=_("A release moves items between two different environments."),
            ),
            models.CheckConstraint(
                condition=(models.Q(status="transported", transported_at__isnull=False))
                | (~models.Q(status="transported") & models.Q(transported_at__isnull=True)),
                name="development_release_transported_at_iff_transported",
                violation_error_message=_("The transport date is set exactly when the release is transported."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("development:release_detail", args=[self.project.code, self.pk])
