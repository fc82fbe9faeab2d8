"""Load-test results: recorded by the test team (EDIT); ``passed`` computed from the bounds."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erpimpl.errors import DomainError
from projects.audit import audited
from projects.models import Project
from projects.roles import Capability, require
from testing.models import LoadTestResult
from testing.services.common import NO_BOUND, check_same_project, check_test_file

BOUNDS = ("max_p95_ms", "max_p99_ms", "max_error_rate", "min_throughput_rps")


def load_result_passes(result: LoadTestResult) -> bool:
    checks = []
    if result.max_p95_ms is not None:
        checks.append(result.p95_ms <= result.max_p95_ms)
    if result.max_p99_ms is not None:
        checks.append(result.p99_ms <= result.max_p99_ms)
    if result.max_error_rate is not None:
        checks.append(Decimal(result.error_rate) <= Decimal(result.max_error_rate))
    if result.min_throughput_rps is not None:
        checks.append(Decimal(result.throughput_rps) >= Decimal(result.min_throughput_rps))
    return bool(checks) and all(checks)


@audited
def load_result_record(*, project: Project, by, report=None, case=None, cycle=None, **fields) -> LoadTestResult:
    """Record a load-test run; ``passed`` is computed from the measured figures and the bounds."""
    require(by, project, Capability.EDIT)
    check_same_project(project, case, _("test case"), "case")
    check_same_project(project, cycle, _("cycle"), "cycle")
    if all(fields.get(k) is None for k in BOUNDS):
        raise DomainError(_(NO_BOUND), field="max_p95_ms")
    checked = check_test_file(report, field="report") if report is not None else None
    fields.setdefault("executed_at", timezone.now())
    with transaction.atomic():
        result = LoadTestResult(project=project, case=case, cycle=cycle, recorded_by=by, **fields)
        if checked is not None:
            result.report = report
            result.report_name = checked.name[:255]
        result.full_clean()
        result.passed = load_result_passes(result)
        result.save()
    return result
