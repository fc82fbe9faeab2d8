"""Executions (runs) of cases: output, and the inputs of start, record-step, finish, evidence."""

from rest_framework import serializers

from projects.api.base import enum_field, scoped_pk
from projects.api.serializers import UserBriefSerializer
from testing.api.serializers.common import TestingRefSerializer
from testing.models import Case, Cycle, Evidence, Execution, StepResult, StepStatus


class StepResultSerializer(serializers.ModelSerializer):
    status = enum_field(StepStatus.choices, "TestStepStatus", read_only=True)

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
    status = enum_field(Execution.Status.choices, "TestRunStatus", read_only=True)

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
    status = enum_field(StepStatus.choices, "TestStepStatus")
    actual_result = serializers.CharField(required=False, allow_blank=True, default="")


class ExecutionFinishSerializer(serializers.Serializer):
    actual_result = serializers.CharField(required=False, allow_blank=True, default="")


class ExecutionEvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="png, jpg, gif, pdf, xlsx, docx, txt, log or csv; at most TESTING_EVIDENCE_MAX_BYTES (10 MB)."
    )
    step = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="Step number, if any.")
