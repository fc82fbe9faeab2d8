"""Serializers of the testing API: read-only output, plain input serializers for the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.api.base import VersionField, project_field
from projects.api.serializers import MemberField, UserBriefSerializer
from testing.models import (
    Case,
    CaseType,
    Cycle,
    CycleCase,
    Defect,
    DefectComment,
    Evidence,
    Execution,
    LoadTestResult,
    StepResult,
    StepStatus,
)
from testing.transitions import defect_next_statuses


def scoped_pk(model, **kwargs):
    """A primary key among the rows of ``model`` the caller can see (others: 400, no leak)."""

    class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
        def get_queryset(self):
            return model.objects.visible_to(self.context["request"].user)

    kwargs.setdefault("pk_field", serializers.IntegerField())
    return ScopedPrimaryKeyField(**kwargs)


def enum_field(choices, enum_id: str, **kwargs):
    """A ChoiceField documented as an enum of its own (one component each, no naming clashes)."""
    values = [c[0] if isinstance(c, tuple | list) else c for c in choices]

    @extend_schema_field({"type": "string", "enum": values, "x-spec-enum-id": f"testing.{enum_id}"})
    class EnumField(serializers.ChoiceField):
        pass

    return EnumField(choices=choices, **kwargs)


def _requirement_model():
    from phases.discovery.models import Requirement

    return Requirement


def _item_model():
    from phases.development.models import DevelopmentItem

    return DevelopmentItem


def _environment_model():
    from phases.development.models import Environment

    return Environment


class TestingRefSerializer(serializers.Serializer):
    """A linked object in brief: id, code and title."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()


class TestingEnvironmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# --- test cases --------------------------------------------------------------------------


class CaseStepSerializer(serializers.Serializer):
    order = serializers.IntegerField(read_only=True)
    action = serializers.CharField()
    expected_result = serializers.CharField()


class CaseSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = UserBriefSerializer(read_only=True)
    steps = CaseStepSerializer(many=True, read_only=True)
    requirements = TestingRefSerializer(many=True, read_only=True)
    development_items = TestingRefSerializer(many=True, read_only=True)
    type = enum_field(CaseType.choices, "Case.type", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "project",
            "code",
            "title",
            "type",
            "preconditions",
            "test_data",
            "owner",
            "steps",
            "requirements",
            "development_items",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _CaseFields(serializers.Serializer):
    preconditions = serializers.CharField(required=False, allow_blank=True)
    test_data = serializers.CharField(required=False, allow_blank=True)
    owner = MemberField(required=False, allow_null=True)
    steps = CaseStepSerializer(many=True, required=False, help_text="Ordered steps; on update they replace the steps.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"] = enum_field(CaseType.choices, f"{type(self).__name__}.type", required=False)
        self.fields["requirements"] = scoped_pk(
            _requirement_model(), many=True, required=False, help_text="Requirement ids of the same project."
        )
        self.fields["development_items"] = scoped_pk(
            _item_model(), many=True, required=False, help_text="Development item ids of the same project."
        )


class CaseInputSerializer(_CaseFields):
    project = project_field()
    title = serializers.CharField(max_length=200)
    steps = CaseStepSerializer(many=True, help_text="Ordered steps, each an action and its expected result.")


class CaseUpdateSerializer(_CaseFields):
    version = VersionField()
    title = serializers.CharField(max_length=200, required=False)


# --- cycles ------------------------------------------------------------------------------


class CycleCaseSerializer(serializers.ModelSerializer):
    case = TestingRefSerializer(read_only=True)
    assignee = UserBriefSerializer(read_only=True)

    class Meta:
        model = CycleCase
        fields = ["id", "case", "assignee", "order"]
        read_only_fields = fields


class CycleSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    environment = TestingEnvironmentRefSerializer(read_only=True, allow_null=True)
    cases = CycleCaseSerializer(source="cycle_cases", many=True, read_only=True)
    signoff_decision = serializers.SerializerMethodField()
    signoff_id = serializers.IntegerField(read_only=True, allow_null=True)
    type = enum_field(CaseType.choices, "Cycle.type", read_only=True)
    status = enum_field(Cycle.Status.choices, "Cycle.status", read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "id",
            "project",
            "name",
            "type",
            "status",
            "environment",
            "planned_start",
            "planned_end",
            "cases",
            "signoff_id",
            "signoff_decision",
            "signoff_override_reason",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(enum_field(["pending", "approved", "rejected"], "Cycle.signoff_decision", allow_null=True))
    def get_signoff_decision(self, cycle) -> str | None:
        return cycle.signoff.decision if cycle.signoff_id else None


class _CycleFields(serializers.Serializer):
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"] = enum_field(CaseType.choices, f"{type(self).__name__}.type", required=False)
        self.fields["environment"] = scoped_pk(
            _environment_model(), required=False, allow_null=True, help_text="Environment id of the same project."
        )


class CycleInputSerializer(_CycleFields):
    project = project_field()
    name = serializers.CharField(max_length=200)


class CycleUpdateSerializer(_CycleFields):
    version = VersionField()
    name = serializers.CharField(max_length=200, required=False)
    status = enum_field(Cycle.Status.choices, "CycleUpdate.status", required=False)


class CycleAddCasesSerializer(serializers.Serializer):
    cases = scoped_pk(Case, many=True, help_text="Test case ids of the cycle's project.")
    assignee = MemberField(required=False, allow_null=True, help_text="Tester (username); UAT: a client key user.")


class CycleAssignSerializer(serializers.Serializer):
    case = scoped_pk(Case, help_text="A test case in the cycle's scope.")
    assignee = MemberField(allow_null=True, help_text="Tester (username), or null to unassign.")


class CycleSignoffRequestSerializer(serializers.Serializer):
    approver = MemberField(required=False, allow_null=True, help_text="Who decides; empty: any approver.")


class CycleSignoffDecisionSerializer(serializers.Serializer):
    decision = enum_field(["approved", "rejected"], "SignoffDecision.decision")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    override = serializers.BooleanField(
        required=False, default=False, help_text="Sign off although critical defects are open (needs a reason)."
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class CycleSummarySerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Cases by latest result.")
    open_defects = TestingRefSerializer(many=True)
    open_critical_defects = serializers.IntegerField()
    progress = serializers.JSONField(help_text="Chart.js data: cases by result per day.")
    defect_trend = serializers.JSONField(help_text="Chart.js data: defects opened and closed per day.")


# --- executions --------------------------------------------------------------------------


class StepResultSerializer(serializers.ModelSerializer):
    status = enum_field(StepStatus.choices, "StepResult.status", read_only=True)

    class Meta:
        model = StepResult
        fields = ["id", "order", "action", "expected_result", "status", "actual_result", "recorded_at"]
        read_only_fields = fields


class ExecutionEvidenceSerializer(serializers.ModelSerializer):
    step = serializers.IntegerField(source="step_result.order", read_only=True, allow_null=True, default=None)
    uploaded_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "step", "uploaded_by", "created_at"]
        read_only_fields = fields


class ExecutionSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="cycle.project.code", read_only=True)
    case = TestingRefSerializer(read_only=True)
    tester = UserBriefSerializer(read_only=True)
    step_results = StepResultSerializer(many=True, read_only=True)
    evidence = ExecutionEvidenceSerializer(many=True, read_only=True)
    status = enum_field(Execution.Status.choices, "Execution.status", read_only=True)

    class Meta:
        model = Execution
        fields = [
            "id",
            "project",
            "cycle",
            "case",
            "run",
            "status",
            "actual_result",
            "tester",
            "started_at",
            "finished_at",
            "step_results",
            "evidence",
        ]
        read_only_fields = fields


class ExecutionStartSerializer(serializers.Serializer):
    cycle = scoped_pk(Cycle)
    case = scoped_pk(Case, help_text="A case in the cycle's scope. A finished run is re-tested as a new run.")


class ExecutionRecordStepSerializer(serializers.Serializer):
    order = serializers.IntegerField(min_value=1, help_text="The step number.")
    status = enum_field(StepStatus.choices, "RecordStep.status")
    actual_result = serializers.CharField(required=False, allow_blank=True, default="")


class ExecutionFinishSerializer(serializers.Serializer):
    actual_result = serializers.CharField(required=False, allow_blank=True, default="")


class ExecutionEvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="png, jpg, gif, pdf, xlsx, docx, txt, log or csv; at most TESTING_EVIDENCE_MAX_BYTES (10 MB)."
    )
    step = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="Step number, if any.")


# --- defects -----------------------------------------------------------------------------


class DefectCommentSerializer(serializers.ModelSerializer):
    author = UserBriefSerializer(read_only=True)

    class Meta:
        model = DefectComment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = fields


class DefectSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assignee = UserBriefSerializer(read_only=True, allow_null=True)
    reported_by = UserBriefSerializer(read_only=True)
    case = TestingRefSerializer(read_only=True, allow_null=True)
    development_item = TestingRefSerializer(read_only=True, allow_null=True)
    environment = TestingEnvironmentRefSerializer(read_only=True, allow_null=True)
    step = serializers.IntegerField(source="step_result.order", read_only=True, allow_null=True, default=None)
    next_statuses = serializers.SerializerMethodField()
    comments = DefectCommentSerializer(many=True, read_only=True)
    severity = enum_field(Defect.Severity.choices, "Defect.severity", read_only=True)
    priority = enum_field(Defect.Priority.choices, "Defect.priority", read_only=True)
    status = enum_field(Defect.Status.choices, "Defect.status", read_only=True)

    class Meta:
        model = Defect
        fields = [
            "id",
            "project",
            "code",
            "title",
            "description",
            "severity",
            "priority",
            "status",
            "next_statuses",
            "cycle",
            "case",
            "execution",
            "step",
            "environment",
            "development_item",
            "assignee",
            "reported_by",
            "resolved_at",
            "comments",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=enum_field(Defect.Status.choices, "Defect.next_statuses")))
    def get_next_statuses(self, defect) -> list[str]:
        return defect_next_statuses(defect.status)


class _DefectFields(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True)
    assignee = MemberField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = type(self).__name__
        self.fields["severity"] = enum_field(Defect.Severity.choices, f"{name}.severity", required=False)
        self.fields["priority"] = enum_field(Defect.Priority.choices, f"{name}.priority", required=False)
        self.fields["development_item"] = scoped_pk(_item_model(), required=False, allow_null=True)
        self.fields["environment"] = scoped_pk(_environment_model(), required=False, allow_null=True)


class DefectInputSerializer(_DefectFields):
    project = project_field()
    title = serializers.CharField(max_length=200)
    step_result = scoped_pk(
        StepResult, required=False, allow_null=True, help_text="The failed step result it was raised from."
    )
    case = scoped_pk(Case, required=False, allow_null=True)
    cycle = scoped_pk(Cycle, required=False, allow_null=True)


class DefectUpdateSerializer(_DefectFields):
    version = VersionField()
    title = serializers.CharField(max_length=200, required=False)


class DefectTransitionSerializer(serializers.Serializer):
    to_status = enum_field(Defect.Status.choices, "DefectTransition.to_status")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = VersionField(required=False, help_text="The version you read; a stale one answers 409.")


class DefectCommentInputSerializer(serializers.Serializer):
    body = serializers.CharField()


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
    executed_at = serializers.DateTimeField(required=False)
    report = serializers.FileField(required=False, help_text="The tool's report (pdf, txt, csv, xlsx...).")


# --- traceability ------------------------------------------------------------------------


class TraceCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.id")
    code = serializers.CharField(source="case.code")
    title = serializers.CharField(source="case.title")
    result = enum_field(["passed", "failed", "blocked", "in_progress", "not_run"], "TraceCase.result")
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
    coverage = enum_field(["no_test", "not_run", "in_progress", "failed", "passed"], "TraceRow.coverage")


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


class TraceabilitySerializer(serializers.Serializer):
    project = serializers.CharField()
    coverage = TraceabilityCoverageSerializer()
    rows = TraceRowSerializer(many=True)
