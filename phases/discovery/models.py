"""Models of Discovery & Planning: kick-off, stakeholders, current processes, requirements,
RAID log, rollout plan, plan documents and the discovery sign-off.

Public for other apps (read-only imports): ``BusinessArea``, ``Requirement``, ``CurrentProcess``.
The plan tasks and the Gantt live in ``projects`` (``/projects/<code>/plan/``); this app
links to them rather than duplicating them.

Internal content: ``Requirement.internal_notes`` is a field shown only to firm roles
(pm, consultant; staff); ``RaidItem.internal`` and ``PlanDocument.internal`` hide whole rows
from client roles through ``ScopedQuerySet.visible_to``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Approval, Project
from projects.scoping import ProjectScopedModel

__all__ = (
    "BusinessArea",
    "Kickoff",
    "RaciActivity",
    "RaciAssignment",
    "Stakeholder",
    "CurrentProcess",
    "Requirement",
    "RaidItem",
    "RolloutWave",
    "RolloutSite",
    "PlanDocument",
    "DiscoverySignoff",
)


class BusinessArea(models.TextChoices):
    FINANCE = "finance", _("Finance")
    PROCUREMENT = "procurement", _("Procurement")
    SALES = "sales", _("Sales")
    INVENTORY = "inventory", _("Inventory")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    HR = "hr", _("HR")
    PROJECTS = "projects", _("Projects")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Stakeholder(ProjectScopedModel):
    """A person with a stake in the project; not necessarily a user of erpimpl."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    influence = models.CharField(_("influence"), max_length=10, choices=Level.choices, default=Level.MEDIUM)
    interest = models.CharField(_("interest"), max_length=10, choices=Level.choices, default=Level.MEDIUM)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Set when the stakeholder is also a member of the project."),
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["project", "name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def get_absolute_url(self):
        return reverse("discovery:stakeholder_detail", args=[self.project.code, self.pk])


class Kickoff(ProjectScopedModel):
    """The kick-off meeting: goals, scope, schedule, roles (RACI), expectations, ground rules."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="kickoffs")
    title = models.CharField(_("title"), max_length=200, default="Kick-off")
    meeting_date = models.DateTimeField(_("meeting date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    attendee_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attending members"), blank=True, related_name="+"
    )
    attendee_stakeholders = models.ManyToManyField(
        Stakeholder, verbose_name=_("attending stakeholders"), blank=True, related_name="kickoffs"
    )
    goals = models.TextField(_("goals"), blank=True)
    scope_in = models.TextField(_("in scope"), blank=True)
    scope_out = models.TextField(_("out of scope"), blank=True)
    schedule_summary = models.TextField(_("schedule summary"), blank=True)
    expectations = models.TextField(_("expectations"), blank=True)
    ground_rules = models.TextField(_("ground rules"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["project", "-meeting_date"]
        verbose_name = _("kick-off")
        verbose_name_plural = _("kick-offs")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("discovery:kickoff_detail", args=[self.project.code, self.pk])


class RaciActivity(ProjectScopedModel):
    """A row of the kick-off's RACI matrix: an activity of the project."""

    scope_path = "kickoff__project"

    kickoff = models.ForeignKey(Kickoff, on_delete=models.CASCADE, related_name="raci_activities")
    name = models.CharField(_("activity"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["kickoff", "order", "pk"]
        verbose_name = _("RACI activity")
        verbose_name_plural = _("RACI activities")

    def __str__(self):
        return self.name


class RaciAssignment(ProjectScopedModel):
    """A cell of the RACI matrix: one person's letter for one activity."""

    class Letter(models.TextChoices):
        RESPONSIBLE = "R", _("Responsible")
        ACCOUNTABLE = "A", _("Accountable")
        CONSULTED = "C", _("Consulted")
        INFORMED = "I", _("Informed")

    scope_path = "activity__kickoff__project"

    activity = models.ForeignKey(RaciActivity, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), null=True, blank=True, on_delete=models.CASCADE
    )
    stakeholder = models.ForeignKey(
        Stakeholder, verbose_name=_("stakeholder"), null=True, blank=True, on_delete=models.CASCADE
    )
    letter = models.CharField(_("role"), max_length=1, choices=Letter.choices)

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("RACI assignment")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False, stakeholder__isnull=True))
                | (models.Q(user__isnull=True, stakeholder__isnull=False)),
                name="discovery_raciassignment_one_person",
                violation_error_message=_("A RACI cell belongs to exactly one member or stakeholder."),
            ),
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=models.Q(user__isnull=False),
                name="discovery_raciassignment_unique_user",
                violation_error_message=_("This member already has a letter for this activity."),
            ),
            models.UniqueConstraint(
                fields=["activity", "stakeholder"],
                condition=models.Q(stakeholder__isnull=False),
                name="discovery_raciassignment_unique_stakeholder",
                violation_error_message=_("This stakeholder already has a letter for this activity."),
            ),
        ]

    def __str__(self):
        return f"{self.activity}: {self.person} = {self.letter}"

    @property
    def person(self):
        return self.user or self.stakeholder


class CurrentProcess(ProjectScopedModel):
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
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["project", "business_area", "name"]
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


class Requirement(ProjectScopedModel):
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
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["project", "code"]
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


class RaidItem(ProjectScopedModel):
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
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["project", "kind", "-created_at"]
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


class RolloutWave(ProjectScopedModel):
    """A wave of the rollout plan: which companies and sites go live together, and when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rollout_waves")
    name = models.CharField(_("name"), max_length=200)
    sequence = models.PositiveIntegerField(_("sequence"), default=1)
    start_date = models.DateField(_("start"))
    golive_date = models.DateField(_("go-live"))
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["project", "sequence", "start_date"]
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


class PlanDocument(ProjectScopedModel):
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
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["project", "kind", "title"]
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
        on_delete=models.PROTECT,
        related_name="discovery_signoff",
        help_text=_("Set when the sign-off is requested (the approval targets this row)."),
    )
    summary = models.TextField(_("summary"), blank=True)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)

    class Meta:
        ordering = ["project", "-created_at"]
        verbose_name = _("discovery sign-off")
        verbose_name_plural = _("discovery sign-offs")

    def __str__(self):
        return str(self.approval) if self.approval_id else str(_("Discovery sign-off"))
