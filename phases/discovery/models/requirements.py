"""Current (as-is) processes and the requirements gathered from them, with fit/gap."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from phases.discovery.models.choices import BusinessArea
from projects.models import Project
from projects.scoping import ProjectScopedModel, VersionedModel


class CurrentProcess(VersionedModel, ProjectScopedModel):
    """A business process as the client runs it today (as-is), with its pain points."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="current_processes")
    business_area = models.CharField(_("business area"), max_length=20, choices=BusinessArea.choices)
    name = models.CharField(_("process name"), max_length=200)
    as_is_description = models.TextField(_("as-is description"), blank=True)
    systems_used = models.CharField(_("systems used today"), max_length=300, blank=True)
    volumes = models.CharField(_("volumes"), max_length=300, blank=True, help_text=_("e.g. 1,200 invoices/month"))
    pain_points = models.TextField(_("pain points"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["project_id", "business_area", "name"]
        verbose_name = _("current process")
        verbose_name_plural = _("current processes")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "business_area", "name"],
                name="discovery_currentprocess_unique_name",
                violation_error_message=_("This business area already has a process with this name."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("discovery:process_detail", args=[self.project.code, self.pk])


class Requirement(VersionedModel, ProjectScopedModel):
    """A client requirement with its fit/gap assessment. ``code`` is REQ-001, per project."""

    class Source(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        DOCUMENT = "document", _("Document")
        INTERVIEW = "interview", _("Interview")

    class Priority(models.TextChoices):
        MUST = "must", _("Must have")
        SHOULD = "should", _("Should have")
        COULD = "could", _("Could have")
        WONT = "wont", _("Won't have")

    class FitGap(models.TextChoices):
        NOT_ASSESSED = "", _("Not assessed")
        FIT = "fit", _("Fit")
        PARTIAL = "partial", _("Partial fit")
        GAP = "gap", _("Gap")

    class Resolution(models.TextChoices):
        NONE = "", _("Not decided")
        STANDARD = "standard", _("Standard")
        CONFIGURATION = "configuration", _("Configuration")
        CUSTOM = "custom", _("Custom development")
        WORKAROUND = "workaround", _("Workaround")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        AGREED = "agreed", _("Agreed")
        DEFERRED = "deferred", _("Deferred")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="requirements")
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    business_area = models.CharField(_("business area"), max_length=20, choices=BusinessArea.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.WORKSHOP)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.SHOULD)
    fit_gap = models.CharField(_("fit/gap"), max_length=10, choices=FitGap.choices, blank=True, default="")
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices, blank=True, default="")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Seen only by the consulting firm, never by client roles.")
    )
    processes = models.ManyToManyField(
        CurrentProcess, verbose_name=_("current processes"), blank=True, related_name="requirements"
    )

    class Meta:
        ordering = ["project_id", "code"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["project", "business_area"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                name="discovery_requirement_unique_code",
                violation_error_message=_("This requirement code is already used in the project."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("discovery:requirement_detail", args=[self.project.code, self.pk])
