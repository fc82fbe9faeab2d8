"""Defects and their comments: output, input (create / PATCH), transition and comment."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phases.development.models import DevelopmentItem, Environment
from projects.api.base import VersionField, enum_field, project_field, scoped_pk
from projects.api.output import ModelOutputMixin
from projects.api.serializers import MemberField, UserBriefSerializer
from testing import selectors
from testing.api.serializers.common import TestingEnvironmentRefSerializer, TestingRefSerializer
from testing.models import Case, Cycle, Defect, DefectComment, Evidence, StepResult, StepStatus
from testing.transitions import defect_next_statuses


class DefectCommentSerializer(serializers.ModelSerializer):
    author = UserBriefSerializer(read_only=True)

    class Meta:
        model = DefectComment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = fields


class DefectEvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = UserBriefSerializer(read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="The file through the project's evidence download page (the same scoped route as the run's page)."
    )

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "uploaded_by", "created_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, evidence) -> str:
        return reverse("testing:evidence_download", args=[self.context["project_code"], evidence.pk])


class DefectStepSerializer(serializers.ModelSerializer):
    """The step a defect was raised from, read live from the run (not a copy), with its evidence."""

    status = enum_field(StepStatus.choices, "TestStepStatus", read_only=True)
    evidence = serializers.SerializerMethodField(help_text="The evidence files attached to this step that you may see.")

    class Meta:
        model = StepResult
        fields = ["id", "order", "action", "expected_result", "status", "actual_result", "recorded_at", "evidence"]
        read_only_fields = fields

    @extend_schema_field(DefectEvidenceSerializer(many=True))
    def get_evidence(self, step) -> list:
        request = self.context.get("request")
        if request is None:
            return []
        rows = selectors.step_evidence(user=request.user, step_result=step)
        return DefectEvidenceSerializer(rows, many=True, context=self.context).data


class DefectSerializer(ModelOutputMixin, serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assignee = UserBriefSerializer(read_only=True, allow_null=True)
    reported_by = UserBriefSerializer(read_only=True)
    case = TestingRefSerializer(read_only=True, allow_null=True)
    development_item = TestingRefSerializer(read_only=True, allow_null=True)
    environment = TestingEnvironmentRefSerializer(read_only=True, allow_null=True)
    step = serializers.IntegerField(source="step_result.order", read_only=True, allow_null=True, default=None)
    step_result = serializers.SerializerMethodField(
        help_text="The failed (or blocked) step the defect was raised from: expected and actual result, "
        "and its evidence files; null for a defect raised on its own."
    )
    next_statuses = serializers.SerializerMethodField()
    comments = DefectCommentSerializer(many=True, read_only=True)
    severity = enum_field(Defect.Severity.choices, "DefectSeverity", read_only=True)
    priority = enum_field(Defect.Priority.choices, "DefectPriority", read_only=True)
    status = enum_field(Defect.Status.choices, "DefectStatus", read_only=True)

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
            "step_result",
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

    @extend_schema_field(serializers.ListField(child=enum_field(Defect.Status.choices, "DefectStatus")))
    def get_next_statuses(self, defect) -> list[str]:
        return defect_next_statuses(defect.status)

    @extend_schema_field(DefectStepSerializer(allow_null=True))
    def get_step_result(self, defect) -> dict | None:
        if defect.step_result is None:
            return None
        context = {**self.context, "project_code": defect.project.code}
        return DefectStepSerializer(defect.step_result, context=context).data


class DefectListSerializer(DefectSerializer):
    """A defect in a list: without its comments and the failed step's details (the detail has them)."""

    comments = None
    step_result = None

    class Meta(DefectSerializer.Meta):
        fields = [f for f in DefectSerializer.Meta.fields if f not in ("comments", "step_result")]
        read_only_fields = fields


class _DefectFields(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True)
    severity = enum_field(Defect.Severity.choices, "DefectSeverity", required=False)
    priority = enum_field(Defect.Priority.choices, "DefectPriority", required=False)
    assignee = MemberField(required=False, allow_null=True)
    development_item = scoped_pk(DevelopmentItem, required=False, allow_null=True)
    environment = scoped_pk(Environment, required=False, allow_null=True)


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
    to_status = enum_field(Defect.Status.choices, "DefectStatus")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = VersionField(required=False, help_text="The version you read; a stale one answers 409.")


class DefectCommentInputSerializer(serializers.Serializer):
    body = serializers.CharField()
