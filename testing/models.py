"""Testing: test cases with ordered steps, cycles and their scope, executions with step
results and evidence, defects with comments, load-test results, UAT sign-off.

Class names avoid the ``Test`` prefix (pytest would collect them); the domain wording is in
``verbose_name``. Status moves live in ``testing/transitions.py``, every write in
``testing/services.py``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Approval, Project
from projects.scoping import ProjectScopedModel

__all__ = [
    "Case",
    "CaseStep",
    "Cycle",
    "CycleCase",
    "Defect",
    "DefectComment",
    "Evidence",
    "Execution",
    "LoadTestResult",
    "StepResult",
]


class CaseType(models.TextChoices):
    FUNCTIONAL = "functional", _("Functional")
    INTEGRATION = "integration", _("Integration")
    LOAD = "load", _("Load")
    UAT = "uat", _("User acceptance (UAT)")
    REGRESSION = "regression", _("Regression")


class Case(ProjectScopedModel):
    """A test case: what to check, in ordered steps, with the data to use."""

    Type = CaseType

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="test_cases")
    code = models.CharField(_("code"), max_length=20, help_text=_("Given automatically, e.g. TC-007."))
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=CaseType.choices, default=CaseType.FUNCTIONAL)
    preconditions = models.TextField(_("preconditions"), blank=True)
    test_data = models.TextField(_("test data"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_test_cases",
    )
    requirements = models.ManyToManyField(
        "discovery.Requirement", verbose_name=_("requirements"), blank=True, related_name="test_cases"
    )
    development_items = models.ManyToManyField(
        "development.DevelopmentItem", verbose_name=_("development items"), blank=True, related_name="test_cases"
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["project", "code"]
        verbose_name = _("test case")
        verbose_name_plural = _("test cases")
        indexes = [models.Index(fields=["project", "type"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                name="%(app_label)s_%(class)s_code_unique_per_project",
                violation_error_message=_("This code is already used in the project."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("testing:case_detail", args=[self.project.code, self.pk])


class CaseStep(ProjectScopedModel):
    """One ordered step of a test case: the action and the result expected."""

    scope_path = "case__project"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    action = models.TextField(_("action"))
    expected_result = models.TextField(_("expected result"))

    class Meta:
        ordering = ["case", "order"]
        verbose_name = _("test step")
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="%(app_label)s_%(class)s_order_unique_per_case")
        ]

    def __str__(self):
        return f"{self.order}. {self.action[:60]}"


class Cycle(ProjectScopedModel):
    """A test cycle: the cases in scope, who runs each, in which environment, when."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")

    Type = CaseType

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="test_cycles")
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=CaseType.choices, default=CaseType.FUNCTIONAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    environment = models.ForeignKey(
        "development.Environment",
        verbose_name=_("environment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="test_cycles",
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    signoff = models.OneToOneField(
        Approval,
        verbose_name=_("sign-off"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signed_test_cycle",
    )
    signoff_override_reason = models.TextField(
        _("override reason"),
        blank=True,
        help_text=_("Why the cycle was signed off with open critical defects."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["project", "-planned_start", "name"]
        verbose_name = _("test cycle")
        verbose_name_plural = _("test cycles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("The planned end cannot be before the planned start."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("testing:cycle_detail", args=[self.project.code, self.pk])

    @property
    def is_signed_off(self) -> bool:
        return self.signoff_id is not None and self.signoff.decision == Approval.Decision.APPROVED


class CycleCase(ProjectScopedModel):
    """A case in a cycle's scope and the tester it is assigned to."""

    scope_path = "cycle__project"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="cycle_cases")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="cycle_cases")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tester"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_test_cases",
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["cycle", "order", "case__code"]
        verbose_name = _("case in cycle")
        verbose_name_plural = _("cases in cycle")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "case"],
                name="%(app_label)s_%(class)s_once_per_cycle",
                violation_error_message=_("This case is already in the cycle."),
            )
        ]

    def __str__(self):
        return f"{self.cycle} · {self.case.code}"


class StepStatus(models.TextChoices):
    NOT_RUN = "not_run", _("Not run")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    BLOCKED = "blocked", _("Blocked")


class Execution(ProjectScopedModel):
    """One run of a case in a cycle. A re-test is a new execution (``run`` + 1); history stays."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        BLOCKED = "blocked", _("Blocked")

    scope_path = "cycle__project"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="executions")
    cycle_case = models.ForeignKey(CycleCase, on_delete=models.PROTECT, related_name="executions")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="executions")
    run = models.PositiveSmallIntegerField(_("run"), default=1)
    status = models.CharField(_("result"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    actual_result = models.TextField(_("actual result"), blank=True)
    tester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tester"), on_delete=models.PROTECT, related_name="test_executions"
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "case__code", "-run"]
        verbose_name = _("test execution")
        verbose_name_plural = _("test executions")
        indexes = [models.Index(fields=["cycle", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle_case", "run"],
                name="%(app_label)s_%(class)s_run_unique",
                violation_error_message=_("This run of the case already exists."),
            ),
            models.UniqueConstraint(
                fields=["cycle_case"],
                condition=models.Q(status="in_progress"),
                name="%(app_label)s_%(class)s_one_open_run",
                violation_error_message=_("This case already has a run in progress."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="in_progress", finished_at__isnull=True)
                | (~models.Q(status="in_progress") & models.Q(finished_at__isnull=False)),
                name="%(app_label)s_%(class)s_finished_iff_result",
            ),
        ]

    def __str__(self):
        return f"{self.case.code} #{self.run}"

    def get_absolute_url(self):
        return reverse("testing:execution_detail", args=[self.cycle.project.code, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class StepResult(ProjectScopedModel):
    """The outcome of one step in one execution (the step's text is copied, so history holds)."""

    Status = StepStatus
    scope_path = "execution__cycle__project"

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="step_results")
    step = models.ForeignKey(CaseStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="results")
    order = models.PositiveSmallIntegerField(_("order"))
    action = models.TextField(_("action"))
    expected_result = models.TextField(_("expected result"))
    status = models.CharField(_("result"), max_length=20, choices=StepStatus.choices, default=StepStatus.NOT_RUN)
    actual_result = models.TextField(_("actual result"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["execution", "order"]
        verbose_name = _("step result")
        constraints = [
            models.UniqueConstraint(
                fields=["execution", "order"], name="%(app_label)s_%(class)s_order_unique_per_execution"
            )
        ]

    def __str__(self):
        return f"{self.execution} · {self.order}: {self.get_status_display()}"


def evidence_path(instance, filename):
    # A generated name: the user's file name is kept in ``original_name`` only.
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"testing/evidence/{uuid.uuid4().hex}.{suffix}"


class Evidence(ProjectScopedModel):
    """A file attached to an execution (optionally to one step): screenshot, log, export."""

    scope_path = "execution__cycle__project"

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="evidence")
    step_result = models.ForeignKey(
        StepResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["execution", "created_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name


class Defect(ProjectScopedModel):
    """A defect: raised from a failed step (carrying case, step and environment) or on its own."""

    class Severity(models.TextChoices):
        CRITICAL = "critical", _("Critical")
        MAJOR = "major", _("Major")
        MINOR = "minor", _("Minor")
        TRIVIAL = "trivial", _("Trivial")

    class Priority(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        FIXED = "fixed", _("Fixed")
        RETEST = "retest", _("Retest")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="defects")
    code = models.CharField(_("code"), max_length=20, help_text=_("Given automatically, e.g. DEF-012."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, default=Severity.MAJOR)
    priority = models.CharField(_("priority"), max_length=20, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), null=True, blank=True, on_delete=models.SET_NULL, related_name="defects"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("test case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="defects"
    )
    execution = models.ForeignKey(
        Execution, verbose_name=_("execution"), null=True, blank=True, on_delete=models.SET_NULL, related_name="defects"
    )
    step_result = models.ForeignKey(
        StepResult, verbose_name=_("step"), null=True, blank=True, on_delete=models.SET_NULL, related_name="defects"
    )
    environment = models.ForeignKey(
        "development.Environment",
        verbose_name=_("environment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="defects",
    )
    development_item = models.ForeignKey(
        "development.DevelopmentItem",
        verbose_name=_("development item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="defects",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_defects",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("defect")
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["project", "severity"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                name="%(app_label)s_%(class)s_code_unique_per_project",
                violation_error_message=_("This code is already used in the project."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["closed", "rejected"], resolved_at__isnull=False)
                | (~models.Q(status__in=["closed", "rejected"]) & models.Q(resolved_at__isnull=True)),
                name="%(app_label)s_%(class)s_resolved_iff_closed",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("testing:defect_detail", args=[self.project.code, self.pk])


class DefectComment(ProjectScopedModel):
    """A comment on a defect (status changes with a note are recorded here too)."""

    scope_path = "defect__project"

    defect = models.ForeignKey(Defect, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))

    class Meta:
        ordering = ["defect", "created_at"]
        verbose_name = _("defect comment")

    def __str__(self):
        return self.body[:60]


def report_path(instance, filename):
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"testing/load-reports/{uuid.uuid4().hex}.{suffix}"


class LoadTestResult(ProjectScopedModel):
    """A measured load-test run against its acceptance bounds; ``passed`` is computed by the service."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="load_test_results")
    case = models.ForeignKey(
        Case, verbose_name=_("test case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="load_results"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), null=True, blank=True, on_delete=models.SET_NULL, related_name="load_results"
    )
    scenario = models.CharField(_("scenario"), max_length=200)
    virtual_users = models.PositiveIntegerField(_("virtual users"))
    duration_seconds = models.PositiveIntegerField(_("duration (s)"))
    throughput_rps = models.DecimalField(_("throughput (req/s)"), max_digits=12, decimal_places=2)
    p95_ms = models.PositiveIntegerField(_("p95 response (ms)"))
    p99_ms = models.PositiveIntegerField(_("p99 response (ms)"))
    error_rate = models.DecimalField(_("error rate (%)"), max_digits=6, decimal_places=3)
    max_p95_ms = models.PositiveIntegerField(_("bound: p95 at most (ms)"), null=True, blank=True)
    max_p99_ms = models.PositiveIntegerField(_("bound: p99 at most (ms)"), null=True, blank=True)
    max_error_rate = models.DecimalField(
        _("bound: error rate at most (%)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    min_throughput_rps = models.DecimalField(
        _("bound: throughput at least (req/s)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), default=False)
    report = models.FileField(_("report"), upload_to=report_path, max_length=200, blank=True)
    report_name = models.CharField(_("report file name"), max_length=255, blank=True)
    executed_at = models.DateTimeField(_("executed at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-executed_at"]
        verbose_name = _("load test result")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(p99_ms__gte=models.F("p95_ms")),
                name="%(app_label)s_%(class)s_p99_not_below_p95",
                violation_error_message=_("The p99 response time cannot be below the p95."),
            ),
            models.CheckConstraint(
                condition=models.Q(error_rate__gte=0, error_rate__lte=100),
                name="%(app_label)s_%(class)s_error_rate_percent",
                violation_error_message=_("The error rate is a percentage between 0 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.scenario} ({self.virtual_users} VU)"
