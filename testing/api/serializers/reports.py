"""Load-test results and the traceability matrix."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from projects.api.base import MomentField, enum_field, project_field, scoped_pk
from projects.api.serializers import UserBriefSerializer
from testing.api.serializers.common import TestingRefSerializer
from testing.models import Case, Cycle, LoadTestResult
from testing.selectors import COVERAGE_LABELS, RESULT_LABELS

# --- load tests --------------------------------------------------------------------------


class LoadTestResultSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    case = TestingRefSerializer(read_only=True, allow_null=True)
    recorded_by = UserBriefSerializer(read_only=True)
    report_name = serializers.CharField(read_only=True)

    class Meta:
        model = LoadTestResult
        fields = [
            "id",
            "project",
            "case",
            "cycle",
            "scenario",
            "virtual_users",
            "duration_seconds",
            "throughput_rps",
            "p95_ms",
            "p99_ms",
            "error_rate",
            "max_p95_ms",
            "max_p99_ms",
            "max_error_rate",
            "min_throughput_rps",
            "passed",
            "report_name",
            "executed_at",
            "recorded_by",
        ]
        read_only_fields = fields


class LoadTestResultInputSerializer(serializers.Serializer):
    project = project_field()
    case = scoped_pk(Case, required=False, allow_null=True)
    cycle = scoped_pk(Cycle, required=False, allow_null=True)
    scenario = serializers.CharField(max_length=200)
    virtual_users = serializers.IntegerField(min_value=1)
    duration_seconds = serializers.IntegerField(min_value=1)
    throughput_rps = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    p95_ms = serializers.IntegerField(min_value=0)
    p99_ms = serializers.IntegerField(min_value=0)
    error_rate = serializers.DecimalField(max_digits=6, decimal_places=3, min_value=0, max_value=100)
    max_p95_ms = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    max_p99_ms = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    max_error_rate = serializers.DecimalField(
        max_digits=6, decimal_places=3, required=False, allow_null=True, min_value=0, max_value=100
    )
    min_throughput_rps = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    executed_at = MomentField(required=False)
    report = serializers.FileField(required=False, help_text="The tool's report (pdf, txt, csv, xlsx...).")


# --- traceability ------------------------------------------------------------------------


class TraceCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.id")
    code = serializers.CharField(source="case.code")
    title = serializers.CharField(source="case.title")
    result = enum_field(list(RESULT_LABELS), "TraceCaseResult")
    executed_at = serializers.DateTimeField(allow_null=True)


class TraceDesignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class TraceDefectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    severity = serializers.CharField()
    status = serializers.CharField()


class TraceItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()


class TraceRowSerializer(serializers.Serializer):
    requirement = TestingRefSerializer()
    requirement_status = serializers.CharField(source="requirement.status")
    designs = TraceDesignSerializer(many=True)
    development_items = TraceItemSerializer(source="items", many=True)
    test_cases = TraceCaseSerializer(source="cases", many=True)
    open_defects = TraceDefectSerializer(many=True)
    coverage = enum_field(list(COVERAGE_LABELS), "TraceCoverage")


class TraceabilityCoverageSerializer(serializers.Serializer):
    agreed_requirements = serializers.IntegerField()
    agreed_without_test = serializers.IntegerField(help_text="Agreed requirements no test case covers.")
    agreed_covered_percent = serializers.IntegerField()
    cases = serializers.IntegerField()
    cases_not_run = serializers.IntegerField(help_text="Test cases without a finished run.")
    cases_failed = serializers.IntegerField(help_text="Test cases whose latest run failed.")
    cases_blocked = serializers.IntegerField()
    cases_passed = serializers.IntegerField()
    open_defects = serializers.IntegerField()


def _requirement_choices(name: str):
    from phases.discovery.models import Requirement

    return Requirement._meta.get_field(name).choices


class TraceabilityQuerySerializer(serializers.Serializer):
    """The filters of ``GET /api/v1/testing/traceability/`` (the page's, with several statuses)."""

    status = serializers.MultipleChoiceField(
        choices=_requirement_choices("status"), required=False, help_text="Requirement status (repeatable)."
    )
    business_area = serializers.ChoiceField(choices=_requirement_choices("business_area"), required=False)
    coverage = serializers.ChoiceField(
        choices=list(COVERAGE_LABELS), required=False, help_text="Requirements whose test cases are in this state."
    )
    q = serializers.CharField(required=False, allow_blank=True, help_text="Search requirement code or title.")


@extend_schema_serializer(many=False)  # the list action of the traceability viewset answers one object
class TraceabilitySerializer(serializers.Serializer):
    """One page of the matrix (``count``, ``next``, ``previous``, ``results`` like every list),
    with the coverage figures of the whole project alongside."""

    project = serializers.CharField()
    coverage = TraceabilityCoverageSerializer()
    count = serializers.IntegerField(help_text="Requirements matching the filters, on every page.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TraceRowSerializer(many=True)
