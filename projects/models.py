"""Projects, their plan (phases, milestones, tasks), memberships, sign-offs and templates."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.roles import Role
from projects.scoping import ProjectScopedModel, ScopedQuerySet, TimeStampedModel, VersionedModel


class PhaseKind(models.TextChoices):
    DISCOVERY = "discovery", _("Discovery & Planning")
    DESIGN = "design", _("Design")
    DEVELOPMENT = "development", _("Development")
    TESTING = "testing", _("Testing")
    DEPLOYMENT = "deployment", _("Deployment")
    SUPPORT = "support", _("Support")


PHASE_ORDER = {kind: index for index, kind in enumerate(PhaseKind.values, start=1)}


class MethodologyTemplate(TimeStampedModel):
    """A reusable plan: for each phase, its activities (plan tasks) and deliverables."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_builtin = models.BooleanField(_("built in"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-is_builtin", "name"]
        verbose_name = _("methodology template")

    def __str__(self):
        return self.name


class TemplateItem(models.Model):
    """One activity or deliverable of a template phase, with its schedule offset in days."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Activity")
        DELIVERABLE = "deliverable", _("Deliverable")

    template = models.ForeignKey(MethodologyTemplate, on_delete=models.CASCADE, related_name="items")
    phase_kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    start_offset_days = models.PositiveIntegerField(_("start offset (days)"), default=0)
    duration_days = models.PositiveIntegerField(_("duration (days)"), default=5)

    class Meta:
        ordering = ["template", "order"]
        verbose_name = _("template item")

    def __str__(self):
        return self.title


class Project(VersionedModel, TimeStampedModel):
    """An ERP implementation project for one client organisation."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9-]*$", _("Use capital letters, digits and '-'."))],
        help_text=_("Short unique code, e.g. ACME-ERP."),
    )
    name = models.CharField(_("name"), max_length=200)
    client_name = models.CharField(_("client organisation"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNING)
    planned_start = models.DateField(_("planned start"))
    planned_golive = models.DateField(_("planned go-live"))
    actual_golive = models.DateField(_("actual go-live"), null=True, blank=True)
    template = models.ForeignKey(
        MethodologyTemplate,
        verbose_name=_("methodology template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = ""
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_golive__gte=models.F("planned_start")),
                name="projects_project_golive_after_start",
                violation_error_message=_("The planned go-live cannot be before the planned start."),
            )
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.code])

    def get_additional_data(self):
        return {"project_id": self.pk, "internal": False}


class Membership(VersionedModel, ProjectScopedModel):
    """A user's role on one project. The only way a non-staff user sees a project."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["project_id", "role", "user__username"]
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project"],
                name="projects_membership_one_role_per_project",
                violation_error_message=_("This user is already a member of the project."),
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.project.code} ({self.get_role_display()})"


class Approval(ProjectScopedModel):
    """A sign-off request on any object of a project: who decides, the decision, when."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="approvals")
    title = models.CharField(_("title"), max_length=200)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approvals_to_decide",
        help_text=_("Who must decide; empty means any member allowed to approve."),
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("approvers notified at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("approval")
        indexes = [models.Index(fields=["project", "decision"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(decision="pending", decided_at__isnull=True))
                | (~models.Q(decision="pending") & models.Q(decided_at__isnull=False)),
                name="projects_approval_decided_at_iff_decided",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the reader's language. A sign-off of an object that names its own
        (``signoff_title()``: a phase gate, a test cycle, a design, the discovery sign-off) is
        composed now from a translatable pattern, so a title stored in the requester's language
        reads in the reader's; a free title (asked through the API) shows as written.
        Lists prefetch ``target`` (``selectors.approval_list``)."""
        target = self.target if self.content_type_id else None
        if hasattr(target, "signoff_title"):
            return target.signoff_title()
        return self.title


#: The two answers a sign-off can be given (the API's ``decide`` actions take one of them).
SIGNOFF_DECISIONS = [
    (Approval.Decision.APPROVED.value, _("Approved")),
    (Approval.Decision.REJECTED.value, _("Rejected")),
]


class Phase(VersionedModel, ProjectScopedModel):
    """One of the six methodology phases of a project."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    gate_approval = models.OneToOneField(
        Approval,
        verbose_name=_("gate approval"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gated_phase",
    )

    class Meta:
        ordering = ["project_id", "order"]
        verbose_name = _("phase")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="projects_phase_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.project.code} · {self.get_kind_display()}"

    def signoff_title(self) -> str:
        """The title of this phase's gate sign-off, in the reader's language (``Approval.display_title``)."""
        return _("Phase gate: %(phase)s") % {"phase": self.get_kind_display()}


class Milestone(VersionedModel, ProjectScopedModel):
    """A dated checkpoint of the plan (e.g. design sign-off, go-live)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    internal = models.BooleanField(_("internal"), default=False, help_text=_("Hidden from client roles."))

    class Meta:
        ordering = ["project_id", "due_date"]
        verbose_name = _("milestone")

    def __str__(self):
        return self.title


class Task(VersionedModel, ProjectScopedModel):
    """A plan task of a phase (an activity of the methodology, or one the team added)."""

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", _("Done")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    phase = models.ForeignKey(Phase, verbose_name=_("phase"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_tasks",
    )
    start = models.DateField(_("start"), null=True, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress %"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.TODO)
    depends_on = models.ManyToManyField(
        "self", verbose_name=_("depends on"), symmetrical=False, blank=True, related_name="dependents"
    )
    is_deliverable = models.BooleanField(_("deliverable"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    internal = models.BooleanField(_("internal"), default=False, help_text=_("Hidden from client roles."))

    class Meta:
        ordering = ["project_id", "phase__order", "order", "pk"]
        verbose_name = _("task")
        indexes = [models.Index(fields=["project", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(due__gte=models.F("start")),
                name="projects_task_due_after_start",
                violation_error_message=_("The due date cannot be before the start date."),
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="projects_task_progress_max_100"),
        ]

    def __str__(self):
        return self.title


class LoginFailure(models.Model):
    """One failed sign-in (page or API), counted per account and per client address.

    Kept in the database so every web process sees the same count; rows older than the
    window are pruned as new attempts come in (see ``projects.services.logins``).
    """

    username = models.CharField(_("username"), max_length=150)
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("failed sign-in")
        indexes = [
            models.Index(fields=["username", "at"], name="projects_loginfailure_user"),
            models.Index(fields=["address", "at"], name="projects_loginfailure_addr"),
            models.Index(fields=["at"], name="projects_loginfailure_at"),
        ]

    def __str__(self):
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M:%S}"


class TokenStamp(models.Model):
    """The password an API token was issued under (a fingerprint of its hash, not the hash).

    ``projects.authentication.TokenAuthentication`` refuses a token whose stamp no longer
    matches the user's password, so changing the password by any door (profile, admin,
    ``changepassword``, a reset) kills every token issued before.
    """

    token = models.OneToOneField("knox.AuthToken", on_delete=models.CASCADE, primary_key=True, related_name="stamp")
    password = models.CharField(_("password fingerprint"), max_length=64)

    class Meta:
        verbose_name = _("API token stamp")

    def __str__(self):
        return f"stamp of token {self.token_id}"
