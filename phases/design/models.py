"""Design phase: process designs (as-is / to-be, BPMN 2.0 diagram, steps and work
instructions, the requirements they cover, version history, sponsor sign-off), function
descriptions traced to requirements, and technical requirements with acceptance criteria.

* ``ProcessDesign`` (``PD-001`` per project). Its BPMN diagram is stored as validated XML
  text in the row (``bpmn_xml``; see ``phases.design.bpmn``), so every version snapshot
  keeps its own diagram and no media file can be reached outside the role checks.
  Its *status* is derived from its current sign-off request (``approval``, a
  ``projects.Approval``): none or rejected = draft, pending = in review, approved =
  approved. Whichever door decides the approval (the design pages, the portal, the
  generic approvals API), the design's status follows, with nothing to keep in sync.
* ``ProcessDesignVersion``: once a design has been approved, every change keeps the
  state before it as a numbered, read-only version (its diagram, steps and requirements).
* ``ProcessStep``: an ordered step of a design with its actor, ERP screen and work instruction.
* ``FunctionDescription``: what the ERP will do for one requirement (standard function,
  configuration or development item), optionally within a process design.
* ``TechnicalRequirement`` (``TR-001`` per project): hardware, software, servers, network,
  security, scalability, backup & recovery, integration; with an acceptance criterion,
  an owner, a status (open, agreed, verified) and verification evidence. Read by the
  go-live readiness check through ``phases.design.selectors``.

Public for other apps (read-only): these models, and ``phases.design.selectors``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from phases.discovery.models import BusinessArea
from projects.models import Approval, Project
from projects.scoping import ProjectScopedModel, ScopedQuerySet, VersionedModel

__all__ = (
    "ProcessDesign",
    "ProcessStep",
    "ProcessDesignVersion",
    "FunctionDescription",
    "TechnicalRequirement",
)


class DesignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")


def status_of(approval: Approval | None) -> str:
    """The design status that a (current) sign-off request means."""
    if approval is None or approval.decision == Approval.Decision.REJECTED:
        return DesignStatus.DRAFT
    if approval.decision == Approval.Decision.PENDING:
        return DesignStatus.IN_REVIEW
    return DesignStatus.APPROVED


class ProcessDesignQuerySet(ScopedQuerySet):
    def with_status(self, statuses):
        """Designs whose derived status is one of ``statuses``."""
        query = models.Q(pk__in=[])
        for value in statuses:
            if value == DesignStatus.DRAFT:
                query |= models.Q(approval__isnull=True) | models.Q(approval__decision=Approval.Decision.REJECTED)
            elif value == DesignStatus.IN_REVIEW:
                query |= models.Q(approval__decision=Approval.Decision.PENDING)
            elif value == DesignStatus.APPROVED:
                query |= models.Q(approval__decision=Approval.Decision.APPROVED)
        return self.filter(query)


class ProcessDesign(VersionedModel, ProjectScopedModel):
    """A to-be business process as the ERP will run it, signed off by the sponsor."""

    Status = DesignStatus

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="process_designs"
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    code = models.CharField(_("code"), max_length=20, editable=False)
    business_area = models.CharField(_("business area"), max_length=20, choices=BusinessArea.choices)
    name = models.CharField(_("process name"), max_length=200)
    as_is = models.TextField(_("as-is process"), blank=True, help_text=_("How the process runs today."))
    to_be = models.TextField(_("to-be process"), blank=True, help_text=_("How the process will run in the ERP."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("process owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bpmn_xml = models.TextField(_("BPMN 2.0 diagram (XML)"), blank=True)
    bpmn_filename = models.CharField(_("BPMN file name"), max_length=255, blank=True)
    requirements = models.ManyToManyField(
        "discovery.Requirement", verbose_name=_("requirements covered"), blank=True, related_name="process_designs"
    )
    approval = models.ForeignKey(
        Approval,
        verbose_name=_("current sign-off request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision = models.PositiveIntegerField(
        _("revision"), default=1, help_text=_("Number of the current content; earlier ones are versions.")
    )

    objects = ProcessDesignQuerySet.as_manager()

    class Meta:
        ordering = ["project_id", "business_area", "number"]
        verbose_name = _("process design")
        verbose_name_plural = _("process designs")
        indexes = [models.Index(fields=["project", "business_area"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="design_processdesign_unique_number",
                violation_error_message=_("This design number is already used in the project."),
            ),
            models.UniqueConstraint(
                fields=["project", "business_area", "name"],
                name="design_processdesign_unique_name",
                violation_error_message=_("This business area already has a process design with this name."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("design:design_detail", args=[self.project.code, self.pk])

    def signoff_title(self) -> str:
        """The title of this design's sign-off, in the reader's language (``Approval.display_title``)."""
        return _("Process design sign-off: %(code)s %(name)s") % {"code": self.code, "name": self.name}

    @property
    def status(self) -> str:
        return status_of(self.approval)

    def get_status_display(self) -> str:
        return DesignStatus(self.status).label

    @property
    def has_bpmn(self) -> bool:
        return bool(self.bpmn_xml)


class ProcessStep(ProjectScopedModel):
    """One step of a process design: who does what, where in the ERP, and how (work instruction)."""

    scope_path = "design__project"

    design = models.ForeignKey(
        ProcessDesign, verbose_name=_("process design"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveIntegerField(_("order"), default=1)
    title = models.CharField(_("step"), max_length=200)
    actor = models.CharField(_("performed by"), max_length=120, blank=True, help_text=_("Role or department."))
    erp_function = models.CharField(
        _("ERP screen / transaction"), max_length=200, blank=True, help_text=_("Where in the ERP the step is done.")
    )
    work_instruction = models.TextField(_("work instruction"), blank=True)

    class Meta:
        ordering = ["design", "order", "pk"]
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")

    def __str__(self):
        return f"{self.order}. {self.title}"


class ProcessDesignVersion(ProjectScopedModel):
    """A read-only snapshot of a process design as it was before a change made after approval."""

    scope_path = "design__project"

    design = models.ForeignKey(
        ProcessDesign, verbose_name=_("process design"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    business_area = models.CharField(_("business area"), max_length=20, choices=BusinessArea.choices)
    name = models.CharField(_("process name"), max_length=200)
    as_is = models.TextField(_("as-is process"), blank=True)
    to_be = models.TextField(_("to-be process"), blank=True)
    bpmn_xml = models.TextField(_("BPMN 2.0 diagram (XML)"), blank=True)
    bpmn_filename = models.CharField(_("BPMN file name"), max_length=255, blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)
    requirements = models.JSONField(_("requirements covered"), default=list, blank=True)
    status = models.CharField(_("status at the time"), max_length=20, choices=DesignStatus.choices)
    approval = models.ForeignKey(
        Approval,
        verbose_name=_("sign-off of this version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["design", "-number"]
        verbose_name = _("process design version")
        verbose_name_plural = _("process design versions")
        constraints = [
            models.UniqueConstraint(
                fields=["design", "number"],
                name="design_processdesignversion_unique_number",
                violation_error_message=_("This version of the design already exists."),
            )
        ]

    def __str__(self):
        return f"{self.design.code} v{self.number}"

    def get_absolute_url(self):
        return reverse("design:version_detail", args=[self.design.project.code, self.pk])

    def get_status_display(self) -> str:
        return DesignStatus(self.status).label

    @property
    def has_bpmn(self) -> bool:
        return bool(self.bpmn_xml)


class FunctionDescription(VersionedModel, ProjectScopedModel):
    """What the ERP will do for one requirement: a standard function, configuration or a development item."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Standard function")
        CONFIGURATION = "configuration", _("Configuration")
        DEVELOPMENT = "development", _("Development item")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="function_descriptions"
    )
    requirement = models.ForeignKey(
        "discovery.Requirement",
        verbose_name=_("requirement"),
        on_delete=models.RESTRICT,
        related_name="function_descriptions",
    )
    design = models.ForeignKey(
        ProcessDesign,
        verbose_name=_("process design"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="function_descriptions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STANDARD)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what the ERP will do"), blank=True)
    erp_reference = models.CharField(
        _("ERP module / function"), max_length=200, blank=True, help_text=_("e.g. Purchasing > Purchase orders")
    )

    class Meta:
        ordering = ["project_id", "requirement__code", "pk"]
        verbose_name = _("function description")
        verbose_name_plural = _("function descriptions")
        indexes = [models.Index(fields=["project", "kind"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("design:function_edit", args=[self.project.code, self.pk])


def evidence_path(instance, filename):
    """Evidence files live under an unguessable folder; they are served only through scoped views."""
    return f"design/{instance.project_id}/evidence/{uuid.uuid4().hex}/{filename}"


class TechnicalRequirement(VersionedModel, ProjectScopedModel):
    """A technical requirement of the target system with its acceptance criterion and evidence."""

    class Category(models.TextChoices):
        HARDWARE = "hardware", _("Hardware")
        SOFTWARE = "software", _("Software")
        SERVERS = "servers", _("Servers")
        NETWORK = "network", _("Network")
        SECURITY = "security", _("Security")
        SCALABILITY = "scalability", _("Scalability")
        BACKUP_RECOVERY = "backup_recovery", _("Backup & recovery")
        INTEGRATION = "integration", _("Integration")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        AGREED = "agreed", _("Agreed")
        VERIFIED = "verified", _("Verified")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="technical_requirements"
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    code = models.CharField(_("code"), max_length=20, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    acceptance_criterion = models.TextField(_("acceptance criterion"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(_("verification evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, max_length=300, blank=True)
    evidence_filename = models.CharField(_("evidence file name"), max_length=255, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["project_id", "number"]
        verbose_name = _("technical requirement")
        verbose_name_plural = _("technical requirements")
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["project", "category"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="design_technicalrequirement_unique_number",
                violation_error_message=_("This technical requirement number is already used in the project."),
            ),
            models.CheckConstraint(
                condition=(models.Q(status="verified") & models.Q(verified_at__isnull=False))
                | (~models.Q(status="verified") & models.Q(verified_at__isnull=True)),
                name="design_technicalrequirement_verified_at_iff_verified",
                violation_error_message=_("The verification date is set exactly when the requirement is verified."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("design:technical_edit", args=[self.project.code, self.pk])
