"""Defects and their comments: output, input (create / PATCH), transition and comment."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phases.development.models import DevelopmentItem, Environment
from projects.api.base import VersionField, enum_field, project_field, scoped_pk
from projects.api.serializers import MemberField, UserBriefSerializer
from testing.api.serializers.common import TestingEnvironmentRefSerializer, TestingRefSerializer
from testing.models import Case, Cycle, Defect, DefectComment, StepResult
from testing.transitions import defect_next_statuses


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
