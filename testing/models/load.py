"""Load-test results measured against their acceptance bounds."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from projects.scoping import ProjectScopedModel
from testing.models.cases import Case
from testing.models.cycles import Cycle


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
