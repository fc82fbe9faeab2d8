"""The plan side of discovery: RAID log, rollout waves and sites, plan documents, the sign-off."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Approval, Project
from projects.scoping import ProjectScopedModel, VersionedModel


class RaidItem(VersionedModel, ProjectScopedModel):
    """An entry of the RAID log: risk, assumption, issue or decision."""

    class Kind(models.TextChoices):
        RISK = "risk", _("Risk")
        ASSUMPTION = "assumption", _("Assumption")
        ISSUE = "issue", _("Issue")
        DECISION = "decision", _("Decision")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="raid_items")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    probability = models.PositiveSmallIntegerField(
        _("probability (1-5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact (1-5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    response = models.TextField(_("mitigation / response"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    internal = models.BooleanField(_("internal"), default=False, help_text=_("Hidden from client roles."))

    class Meta:
        ordering = ["project_id", "kind", "-created_at"]
        verbose_name = _("RAID item")
        verbose_name_plural = _("RAID items")
        indexes = [models.Index(fields=["project", "kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="risk") | (models.Q(probability__isnull=True) & models.Q(impact__isnull=True)),
                name="discovery_raiditem_scores_only_for_risks",
                violation_error_message=_("Only risks have a probability and an impact."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="risk")
                | (models.Q(probability__isnull=False) & models.Q(impact__isnull=False)),
                name="discovery_raiditem_risk_scored",
                violation_error_message=_("A risk needs a probability and an impact (1 to 5)."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("discovery:raid_detail", args=[self.project.code, self.pk])

    @property
    def score(self) -> int | None:
        """Probability × impact (1..25) for risks; ``None`` otherwise."""
        if self.probability is None or self.impact is None:
            return None
        return self.probability * self.impact

    @property
    def severity(self) -> str:
        score = self.score
        if score is None:
            return ""
        return "high" if score >= 15 else "medium" if score >= 8 else "low"


class RolloutWave(VersionedModel, ProjectScopedModel):
    """A wave of the rollout plan: which companies and sites go live together, and when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rollout_waves")
    name = models.CharField(_("name"), max_length=200)
    sequence = models.PositiveIntegerField(_("sequence"), default=1)
    start_date = models.DateField(_("start"))
    golive_date = models.DateField(_("go-live"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["project_id", "sequence", "start_date"]
        verbose_name = _("rollout wave")
        verbose_name_plural = _("rollout waves")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(golive_date__gte=models.F("start_date")),
                name="discovery_rolloutwave_golive_after_start",
                violation_error_message=_("The go-live date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["project", "name"],
                name="discovery_rolloutwave_unique_name",
                violation_error_message=_("A wave with this name already exists in the project."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("discovery:wave_detail", args=[self.project.code, self.pk])


class RolloutSite(ProjectScopedModel):
    """A company / site that goes live in a wave."""

    scope_path = "wave__project"

    wave = models.ForeignKey(RolloutWave, on_delete=models.CASCADE, related_name="sites")
    company = models.CharField(_("company"), max_length=200)
    site = models.CharField(_("site"), max_length=200)
    location = models.CharField(_("location"), max_length=200, blank=True)
    users_count = models.PositiveIntegerField(_("users"), null=True, blank=True)

    class Meta:
        ordering = ["wave", "company", "site"]
        verbose_name = _("rollout site")
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "company", "site"],
                name="discovery_rolloutsite_unique",
                violation_error_message=_("This site is already in the wave."),
            )
        ]

    def __str__(self):
        return f"{self.company} — {self.site}"


def plan_document_path(instance, filename):
    return f"discovery/{instance.project_id}/plan-documents/{filename}"


class PlanDocument(VersionedModel, ProjectScopedModel):
    """A document attached to the project plan: preparation requirements, test procedures..."""

    class Kind(models.TextChoices):
        PREPARATION = "preparation", _("Preparation requirements")
        TEST_PROCEDURE = "test_procedure", _("Test procedures")
        PM_METHOD = "pm_method", _("Project management method")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plan_documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=plan_document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    internal = models.BooleanField(_("internal"), default=False, help_text=_("Hidden from client roles."))

    class Meta:
        ordering = ["project_id", "kind", "title"]
        verbose_name = _("plan document")
        verbose_name_plural = _("plan documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("discovery:document_detail", args=[self.project.code, self.pk])


class DiscoverySignoff(ProjectScopedModel):
    """A request to sign off the discovery deliverables, decided through ``projects.Approval``.

    ``snapshot`` keeps what was submitted (the agreed requirement codes and the counts),
    so the sponsor's decision refers to a fixed set even if requirements change later.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="discovery_signoffs")
    approval = models.OneToOneField(
        Approval,
        verbose_name=_("approval"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="discovery_signoff",
        help_text=_("Set when the sign-off is requested (the approval targets this row)."),
    )
    summary = models.TextField(_("summary"), blank=True)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)

    class Meta:
        ordering = ["project_id", "-created_at"]
        verbose_name = _("discovery sign-off")
        verbose_name_plural = _("discovery sign-offs")

    def __str__(self):
        return str(self.approval) if self.approval_id else str(_("Discovery sign-off"))

    def signoff_title(self) -> str:
        """The title of this sign-off's approval, in the reader's language (``Approval.display_title``)."""
        return str(_("Discovery & Planning sign-off"))
