"""Go-live readiness: the criteria of a project and the runs that check them.

A criterion is data: a category, a kind (an automatic rule with named parameters, or a manual
check with an owner and evidence), a weight, whether it blocks the go-live, whether the
client may see it. A run (``ReadinessRun``, a Celery job like a migration run) evaluates every
active criterion and keeps, per criterion, a ``ReadinessResult``: the result, the measured
value, the threshold and the evidence (the offending objects, with links). Results are a
snapshot: editing or deleting a criterion later does not change a past run.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from projects.scoping import ProjectScopedModel, VersionedModel


class Category(models.TextChoices):
    SCOPE = "scope", _("Scope")
    TESTING = "testing", _("Testing")
    DATA_MIGRATION = "data_migration", _("Data migration")
    CUTOVER = "cutover", _("Cutover")
    SECURITY = "security", _("Security")
    TRAINING = "training", _("Training & change")
    SUPPORT = "support", _("Support")
    ENVIRONMENT = "environment", _("Environment")
    EXTERNAL = "external", _("External dependencies")


class ReadinessCriterion(VersionedModel, ProjectScopedModel):
    class Kind(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic rule")
        MANUAL = "manual", _("Manual check")

    class Assessment(models.TextChoices):
        NOT_ASSESSED = "not_assessed", _("Not assessed")
        MET = "met", _("Met")
        NOT_MET = "not_met", _("Not met")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="readiness_criteria")
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.AUTOMATIC)
    rule = models.CharField(
        _("rule"), max_length=40, blank=True, help_text=_("The built-in rule an automatic criterion evaluates.")
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    blocking = models.BooleanField(_("blocking"), default=False, help_text=_("A failure means NO-GO."))
    internal = models.BooleanField(_("internal"), default=False, help_text=_("Hidden from client roles."))
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who assesses a manual criterion."),
    )
    assessment = models.CharField(
        _("assessment"), max_length=14, choices=Assessment.choices, default=Assessment.NOT_ASSESSED
    )
    assessment_note = models.TextField(_("assessment note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="golive/evidence/%Y/%m/", blank=True, max_length=300)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)

    class Meta:
        ordering = ["project_id", "order", "code"]
        verbose_name = _("readiness criterion")
        verbose_name_plural = _("readiness criteria")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="golive_criterion_unique_code"),
            models.CheckConstraint(
                condition=~models.Q(kind="automatic") | ~models.Q(rule=""),
                name="golive_criterion_automatic_has_rule",
                violation_error_message=_("An automatic criterion needs a rule."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("golive:criterion_detail", args=[self.project.code, self.pk])


class ReadinessRun(ProjectScopedModel):
    """One check of every active criterion of a project, on the ``readiness`` queue."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Started by a person")
        SCHEDULED = "scheduled", _("Scheduled")

    class Recommendation(models.TextChoices):
        GO = "go", _("GO")
        NO_GO = "no_go", _("NO-GO")

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    TERMINAL = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="readiness_runs")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices, default=Trigger.MANUAL)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    lease_token = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    criteria_total = models.PositiveIntegerField(_("criteria"), default=0)
    criteria_done = models.PositiveIntegerField(_("criteria checked"), default=0)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=8, choices=Recommendation.choices, blank=True)
    blockers = models.PositiveIntegerField(_("blockers"), default=0)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    query_count = models.PositiveIntegerField(_("database queries"), null=True, blank=True)

    class Meta:
        ordering = ["project_id", "-number"]
        verbose_name = _("readiness run")
        verbose_name_plural = _("readiness runs")
        indexes = [models.Index(fields=["status"])]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="golive_run_unique_number")]

    def __str__(self):
        return f"#{self.number}"

    def get_absolute_url(self):
        return reverse("golive:run_detail", args=[self.project.code, self.pk])

    @property
    def progress_percent(self) -> int:
        if not self.criteria_total:
            return 100 if self.status in self.TERMINAL else 0
        return round(100 * self.criteria_done / self.criteria_total)


class ReadinessResult(ProjectScopedModel):
    """A criterion's outcome in one run, with the criterion as it was (a snapshot)."""

    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")
        ERROR = "error", _("Error")

    scope_path = "run__project"

    run = models.ForeignKey(ReadinessRun, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey(
        ReadinessCriterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=ReadinessCriterion.Kind.choices)
    rule = models.CharField(_("rule"), max_length=40, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    blocking = models.BooleanField(_("blocking"), default=False)
    internal = models.BooleanField(_("internal"), default=False)
    order = models.PositiveIntegerField(default=0)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    measured = models.CharField(_("measured"), max_length=200, blank=True)
    threshold = models.CharField(_("threshold"), max_length=200, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    evidence_internal = models.JSONField(
        _("internal evidence"), default=list, blank=True, help_text=_("Internal offending objects: firm roles only.")
    )
    evidence_total = models.PositiveIntegerField(_("offending objects"), default=0)

    class Meta:
        ordering = ["run", "order", "code"]
        verbose_name = _("readiness result")
        verbose_name_plural = _("readiness results")
        constraints = [models.UniqueConstraint(fields=["run", "code"], name="golive_result_unique_code")]

    def __str__(self):
        return f"{self.code}: {self.result}"
