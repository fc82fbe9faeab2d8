"""The cutover runbook: a plan of tasks with dependencies, and its runs (rehearsals, one live).

``Runbook`` (one per project) holds ``CutoverTask`` rows: stream, owner (a person or a support
team), type, planned duration, optional fixed start, predecessors (a graph without cycles,
checked by ``golive.cutover.graph``), critical flag and rollback step. Starting a
``CutoverRun`` snapshots the plan into ``CutoverRunTask`` rows, which carry the state and
the actual times; the plan can change afterwards without touching a run.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from projects.scoping import ProjectScopedModel, VersionedModel


class TaskType(models.TextChoices):
    NORMAL = "normal", _("Normal")
    MILESTONE = "milestone", _("Milestone")
    COMMUNICATION = "communication", _("Communication")
    VALIDATION = "validation", _("Validation")
    CHECKPOINT = "checkpoint", _("Go/no-go checkpoint")


class Runbook(VersionedModel, ProjectScopedModel):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="runbook")
    title = models.CharField(_("title"), max_length=200, default=_("Cutover runbook"))
    window_hours = models.PositiveIntegerField(
        _("cutover window (hours)"), default=48, help_text=_("How long the business can be without the system.")
    )
    planned_start = models.DateTimeField(_("planned start of the live cutover"), null=True, blank=True)

    class Meta:
        ordering = ["project_id"]
        verbose_name = _("cutover runbook")
        verbose_name_plural = _("cutover runbooks")

    def __str__(self):
        return str(self.title)  # the default title is a lazy translation

    def get_absolute_url(self):
        return reverse("golive:runbook", args=[self.project.code])


class CutoverTask(VersionedModel, ProjectScopedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cutover_tasks")
    runbook = models.ForeignKey(Runbook, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveIntegerField(_("number"), editable=False)
    code = models.CharField(_("code"), max_length=20, editable=False)
    stream = models.CharField(_("stream"), max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=16, choices=TaskType.choices, default=TaskType.NORMAL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_team = models.ForeignKey(
        "golive.SupportTeam",
        verbose_name=_("owner team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cutover_tasks",
    )
    planned_minutes = models.PositiveIntegerField(_("planned duration (minutes)"), null=True, blank=True)
    fixed_start = models.DateTimeField(_("fixed start"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors", verbose_name=_("predecessors")
    )
    critical = models.BooleanField(_("critical"), default=False)
    rollback = models.TextField(_("rollback step"), blank=True)
    masterdata_object = models.ForeignKey(
        "datamigration.MasterDataObject",
        verbose_name=_("master data object"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A load task: its duration can come from the object's last mock load."),
    )
    expected_rows = models.PositiveIntegerField(_("expected rows"), null=True, blank=True)
    internal = models.BooleanField(_("internal"), default=False, help_text=_("Hidden from client roles."))

    class Meta:
        ordering = ["project_id", "number"]
        verbose_name = _("cutover task")
        verbose_name_plural = _("cutover tasks")
        constraints = [models.UniqueConstraint(fields=["runbook", "number"], name="golive_cutovertask_unique_number")]

    def __str__(self):
        return f"{self.code} {self.title}"


class CutoverRun(ProjectScopedModel):
    class Kind(models.TextChoices):
        REHEARSAL = "rehearsal", _("Rehearsal")
        LIVE = "live", _("Live run")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped (rollback)")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cutover_runs")
    runbook = models.ForeignKey(Runbook, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    baseline_start = models.DateTimeField(_("planned start"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["project_id", "-number"]
        verbose_name = _("cutover run")
        verbose_name_plural = _("cutover runs")
        constraints = [
            models.UniqueConstraint(fields=["runbook", "number"], name="golive_cutoverrun_unique_number"),
            models.UniqueConstraint(
                fields=["runbook"], condition=models.Q(kind="live"), name="golive_cutoverrun_one_live_run"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.number}"

    def get_absolute_url(self):
        return reverse("golive:cutover_run", args=[self.project.code, self.pk])


class CutoverRunTask(VersionedModel, ProjectScopedModel):
    """A task of a run: the plan's task as it was when the run started, with state and actual times."""

    class State(models.TextChoices):
        NOT_READY = "not_ready", _("Not ready")
        READY = "ready", _("Ready")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETE = "complete", _("Complete")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    scope_path = "run__project"

    run = models.ForeignKey(CutoverRun, on_delete=models.CASCADE, related_name="tasks")
    task = models.ForeignKey(CutoverTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="run_tasks")
    code = models.CharField(_("code"), max_length=20)
    stream = models.CharField(_("stream"), max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=16, choices=TaskType.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_team = models.ForeignKey(
        "golive.SupportTeam", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_minutes = models.PositiveIntegerField(_("planned duration (minutes)"), default=0)
    fixed_start = models.DateTimeField(_("fixed start"), null=True, blank=True)
    predecessors = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="successors")
    critical = models.BooleanField(_("critical"), default=False)
    rollback = models.TextField(_("rollback step"), blank=True)
    internal = models.BooleanField(_("internal"), default=False)
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.NOT_READY)
    passed = models.BooleanField(_("validation passed"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    rollback_open = models.BooleanField(_("rollback opened"), default=False)

    class Meta:
        ordering = ["run", "planned_start", "code"]
        verbose_name = _("cutover run task")
        verbose_name_plural = _("cutover run tasks")
        indexes = [models.Index(fields=["run", "state"])]
        constraints = [models.UniqueConstraint(fields=["run", "code"], name="golive_runtask_unique_code")]

    def __str__(self):
        return f"{self.code} {self.title}"
