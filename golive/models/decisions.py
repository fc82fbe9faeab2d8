"""The go/no-go decision: the meeting, the readiness run it was taken on (as a snapshot),
the sign-offs of the sponsor and the PM through ``projects.Approval``, outcome and conditions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Approval, Project
from projects.scoping import ProjectScopedModel, VersionedModel


class GoNoGoDecision(VersionedModel, ProjectScopedModel):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        GO = "go", _("GO")
        NO_GO = "no_go", _("NO-GO")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="golive_decisions")
    meeting_at = models.DateTimeField(_("meeting"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("attendees")
    )
    other_attendees = models.TextField(_("other attendees"), blank=True)
    readiness_run = models.ForeignKey(
        "golive.ReadinessRun",
        verbose_name=_("readiness run"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="decisions",
    )
    snapshot = models.JSONField(_("readiness snapshot"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    conditions = models.TextField(_("conditions"), blank=True)
    override_reason = models.TextField(
        _("override reason"), blank=True, help_text=_("Why GO although a blocking criterion failed.")
    )
    sponsor_signoff = models.OneToOneField(Approval, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pm_signoff = models.OneToOneField(Approval, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["project_id", "-meeting_at"]
        verbose_name = _("go/no-go decision")
        verbose_name_plural = _("go/no-go decisions")

    def __str__(self):
        return str(_("Go/no-go of %(date)s") % {"date": self.meeting_at.date()})

    def get_absolute_url(self):
        return reverse("golive:decision_detail", args=[self.project.code, self.pk])
