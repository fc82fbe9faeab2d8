"""The people side of going live: the support plan with its teams and escalation levels,
training sessions with invitations and attendance, and user guides with versions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Approval, Project
from projects.scoping import ProjectScopedModel, VersionedModel


class SupportPlan(VersionedModel, ProjectScopedModel):
    """How the client is supported from go-live: hypercare, teams, escalation; approved by the sponsor."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="support_plan")
    hypercare_start = models.DateField(_("hypercare start"), null=True, blank=True)
    hypercare_end = models.DateField(_("hypercare end"), null=True, blank=True)
    exit_criteria = models.TextField(_("hypercare exit criteria"), blank=True)
    procedure = models.TextField(_("procedure for issues during go-live"), blank=True)
    working_hours = models.CharField(_("working hours"), max_length=200, blank=True)
    signoff = models.OneToOneField(
        Approval, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sign-off")
    )

    class Meta:
        ordering = ["project_id"]
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")

    def __str__(self):
        return str(_("Support plan"))

    def get_absolute_url(self):
        return reverse("golive:support_plan", args=[self.project.code])

    @property
    def approved(self) -> bool:
        return self.signoff is not None and self.signoff.decision == Approval.Decision.APPROVED


class SupportTeam(ProjectScopedModel):
    scope_path = "plan__project"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    working_hours = models.CharField(_("working hours"), max_length=200, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("members"))

    class Meta:
        ordering = ["plan", "name"]
        verbose_name = _("support team")
        verbose_name_plural = _("support teams")
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="golive_team_unique_name")]

    def __str__(self):
        return self.name


class EscalationLevel(ProjectScopedModel):
    class Level(models.TextChoices):
        L1 = "L1", _("L1")
        L2 = "L2", _("L2")
        L3 = "L3", _("L3")

    scope_path = "plan__project"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="escalations")
    level = models.CharField(_("level"), max_length=2, choices=Level.choices)
    team = models.ForeignKey(SupportTeam, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    contact_name = models.CharField(_("contact"), max_length=120)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    when = models.CharField(_("when to escalate"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "level"]
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation levels")
        constraints = [models.UniqueConstraint(fields=["plan", "level"], name="golive_escalation_unique_level")]

    def __str__(self):
        return f"{self.level} {self.contact_name}"


class TrainingSession(VersionedModel, ProjectScopedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="training_sessions")
    topic = models.CharField(_("topic"), max_length=200)
    audience_roles = models.JSONField(_("audience roles"), default=list, blank=True)
    processes = models.ManyToManyField(
        "design.ProcessDesign", blank=True, related_name="training_sessions", verbose_name=_("processes")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.CharField(_("place or link"), max_length=300, blank=True)

    class Meta:
        ordering = ["project_id", "starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="golive_training_ends_after_start",
                violation_error_message=_("A session ends after it starts."),
            )
        ]

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("golive:training_detail", args=[self.project.code, self.pk])


class Attendance(ProjectScopedModel):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    scope_path = "session__project"

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)

    class Meta:
        ordering = ["session", "user__username"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="golive_attendance_unique_user")]

    def __str__(self):
        return f"{self.user} · {self.get_status_display()}"


class UserGuide(VersionedModel, ProjectScopedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="user_guides")
    title = models.CharField(_("title"), max_length=200)
    processes = models.ManyToManyField(
        "design.ProcessDesign", blank=True, related_name="user_guides", verbose_name=_("processes")
    )
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["project_id", "title"]
        verbose_name = _("user guide")
        verbose_name_plural = _("user guides")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("golive:guide_detail", args=[self.project.code, self.pk])


class UserGuideVersion(ProjectScopedModel):
    scope_path = "guide__project"

    guide = models.ForeignKey(UserGuide, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="golive/guides/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["guide", "-number"]
        verbose_name = _("user guide version")
        verbose_name_plural = _("user guide versions")
        constraints = [models.UniqueConstraint(fields=["guide", "number"], name="golive_guideversion_unique_number")]

    def __str__(self):
        return f"{self.guide} v{self.number}"
