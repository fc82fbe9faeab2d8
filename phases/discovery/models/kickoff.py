"""The kick-off and the people of the project: stakeholders, the meeting, its RACI matrix."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from phases.discovery.models.choices import Level
from projects.models import Project
from projects.scoping import ProjectScopedModel, VersionedModel


class Stakeholder(VersionedModel, ProjectScopedModel):
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

    class Meta:
        ordering = ["project_id", "name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def get_absolute_url(self):
        return reverse("discovery:stakeholder_detail", args=[self.project.code, self.pk])


class Kickoff(VersionedModel, ProjectScopedModel):
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

    class Meta:
        ordering = ["project_id", "-meeting_date"]
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
