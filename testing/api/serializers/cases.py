"""Test cases and cycles: output, input (create / PATCH) and the cycles' actions."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phases.development.models import DevelopmentItem, Environment
from phases.discovery.models import Requirement
from projects.api.base import VersionField, enum_field, project_field, scoped_pk
from projects.api.serializers import MemberField, UserBriefSerializer
from projects.models import Approval
from testing.api.serializers.common import TestingEnvironmentRefSerializer, TestingRefSerializer
from testing.models import Case, CaseType, Cycle, CycleCase, Execution

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
    type = enum_field(CaseType.choices, "TestCaseType", read_only=True)

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
    type = enum_field(CaseType.choices, "TestCaseType", required=False)
    preconditions = serializers.CharField(required=False, allow_blank=True)
    test_data = serializers.CharField(required=False, allow_blank=True)
    owner = MemberField(required=False, allow_null=True)
    steps = CaseStepSerializer(many=True, required=False, help_text="Ordered steps; on update they replace the steps.")
    requirements = scoped_pk(Requirement, many=True, required=False, help_text="Requirement ids of the same project.")
    development_items = scoped_pk(
        DevelopmentItem, many=True, required=False, help_text="Development item ids of the same project."
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
    """A case in a cycle's scope with its latest run (``selectors.cycle_scope``)."""

    case = TestingRefSerializer(read_only=True)
    assignee = UserBriefSerializer(read_only=True)
    latest_run_id = serializers.IntegerField(source="latest_id", read_only=True, allow_null=True)
    latest_run = serializers.IntegerField(read_only=True, allow_null=True, help_text="Run number of the latest run.")
    latest_result = enum_field(
        [*Execution.Status.choices, ("not_run", "Not run")], "TestScopeResult", source="latest_status", read_only=True
    )

    class Meta:
        model = CycleCase
        fields = ["id", "case", "assignee", "order", "latest_run_id", "latest_run", "latest_result"]
        read_only_fields = fields


class CycleSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    environment = TestingEnvironmentRefSerializer(read_only=True, allow_null=True)
    case_count = serializers.IntegerField(read_only=True, help_text="Cases in scope; they are listed by /cases/.")
    signoff_decision = serializers.SerializerMethodField()
    signoff_id = serializers.IntegerField(read_only=True, allow_null=True)
    type = enum_field(CaseType.choices, "TestCaseType", read_only=True)
    status = enum_field(Cycle.Status.choices, "TestCycleStatus", read_only=True)

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
            "case_count",
            "signoff_id",
            "signoff_decision",
            "signoff_override_reason",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(enum_field(Approval.Decision.choices, "TestCycleSignoffState", allow_null=True))
    def get_signoff_decision(self, cycle) -> str | None:
        return cycle.signoff.decision if cycle.signoff_id else None


class _CycleFields(serializers.Serializer):
    type = enum_field(CaseType.choices, "TestCaseType", required=False)
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)
    environment = scoped_pk(
        Environment, required=False, allow_null=True, help_text="Environment id of the same project."
    )


class CycleInputSerializer(_CycleFields):
    project = project_field()
    name = serializers.CharField(max_length=200)


class CycleUpdateSerializer(_CycleFields):
    version = VersionField()
    name = serializers.CharField(max_length=200, required=False)
    status = enum_field(Cycle.Status.choices, "TestCycleStatus", required=False)


class CycleAddCasesSerializer(serializers.Serializer):
    cases = scoped_pk(Case, many=True, help_text="Test case ids of the cycle's project.")
    assignee = MemberField(required=False, allow_null=True, help_text="Tester (username); UAT: a client key user.")


class CycleAssignSerializer(serializers.Serializer):
    case = scoped_pk(Case, help_text="A test case in the cycle's scope.")
    assignee = MemberField(allow_null=True, help_text="Tester (username), or null to unassign.")


class CycleSignoffRequestSerializer(serializers.Serializer):
    approver = MemberField(required=False, allow_null=True, help_text="Who decides; empty: any approver.")


class CycleSignoffDecisionSerializer(serializers.Serializer):
    decision = enum_field(["approved", "rejected"], "TestSignoffDecision")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    override = serializers.BooleanField(
        required=False, default=False, help_text="Sign off although critical defects are open (needs a reason)."
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class CycleSummarySerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Cases by latest result.")
    open_defects = TestingRefSerializer(many=True, help_text="The 20 most severe open defects of the cycle.")
    open_defect_count = serializers.IntegerField(help_text="All open defects of the cycle (the defect list has them).")
    open_critical_defects = serializers.IntegerField()
    progress = serializers.JSONField(help_text="Chart.js data: cases by result per day.")
    defect_trend = serializers.JSONField(help_text="Chart.js data: defects opened and closed per day.")
