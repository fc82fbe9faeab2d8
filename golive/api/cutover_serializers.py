"""Serializers of the cutover runbook API: output shapes and the input each service takes."""

from rest_framework import serializers

from datamigration.models import MasterDataObject
from golive.models import CutoverRun, CutoverRunTask, CutoverTask, Runbook, SupportTeam, TaskType
from projects.api.base import MomentField, VersionField, enum_field, project_field, scoped_pk
from projects.api.related import RelatedIdsField
from projects.api.serializers import MemberField


class RunbookSerializer(serializers.ModelSerializer):
    project = project_field(read_only=True)

    class Meta:
        model = Runbook
        fields = ["id", "project", "title", "window_hours", "planned_start", "version", "updated_at"]
        read_only_fields = fields


class RunbookUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    window_hours = serializers.IntegerField(min_value=0, required=False)
    planned_start = MomentField(required=False, allow_null=True)
    version = VersionField()


class CutoverTaskSerializer(serializers.ModelSerializer):
    project = project_field(read_only=True)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    predecessors = RelatedIdsField()
    type = enum_field(TaskType.choices, "CutoverTaskType", read_only=True)

    class Meta:
        model = CutoverTask
        fields = [
            "id", "project", "code", "stream", "title", "type", "owner", "owner_team", "planned_minutes",
            "fixed_start", "predecessors", "critical", "rollback", "masterdata_object", "expected_rows",
            "internal", "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class CutoverTaskUpdateSerializer(serializers.Serializer):
    stream = serializers.CharField(max_length=80, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200, required=False)
    type = enum_field(TaskType.choices, "CutoverTaskType", required=False)
    owner = MemberField(required=False, allow_null=True)
    owner_team = scoped_pk(SupportTeam, required=False, allow_null=True)
    planned_minutes = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    fixed_start = MomentField(required=False, allow_null=True)
    predecessors = scoped_pk(CutoverTask, many=True, required=False)
    critical = serializers.BooleanField(required=False)
    rollback = serializers.CharField(required=False, allow_blank=True)
    masterdata_object = scoped_pk(MasterDataObject, required=False, allow_null=True)
    expected_rows = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    internal = serializers.BooleanField(required=False)
    version = VersionField()


class CutoverTaskInputSerializer(CutoverTaskUpdateSerializer):
    project = project_field()
    title = serializers.CharField(max_length=200)
    version = None


class CutoverRunSerializer(serializers.ModelSerializer):
    project = project_field(read_only=True)
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    kind = enum_field(CutoverRun.Kind.choices, "CutoverRunKind", read_only=True)
    status = enum_field(CutoverRun.Status.choices, "CutoverRunStatus", read_only=True)

    class Meta:
        model = CutoverRun
        fields = [
            "id", "project", "runbook", "kind", "number", "status", "baseline_start", "started_by",
            "finished_at", "note", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class CutoverRunStartSerializer(serializers.Serializer):
    project = project_field()
    kind = enum_field(CutoverRun.Kind.choices, "CutoverRunKind")
    baseline_start = MomentField(required=False, allow_null=True)


class CutoverRunTaskSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    predecessors = RelatedIdsField()
    state = enum_field(CutoverRunTask.State.choices, "CutoverRunTaskState", read_only=True)
    type = enum_field(TaskType.choices, "CutoverTaskType", read_only=True)

    class Meta:
        model = CutoverRunTask
        fields = [
            "id", "run", "task", "code", "stream", "title", "type", "owner", "owner_team", "planned_minutes",
            "fixed_start", "predecessors", "critical", "rollback", "internal", "planned_start", "planned_end",
            "state", "passed", "reason", "actual_start", "actual_end", "rollback_open", "version",
        ]  # fmt: skip
        read_only_fields = fields


class RunTaskMoveSerializer(serializers.Serializer):
    version = VersionField(required=False)


class RunTaskFinishSerializer(RunTaskMoveSerializer):
    passed = serializers.BooleanField(required=False, allow_null=True, default=None)


class RunTaskSkipSerializer(RunTaskMoveSerializer):
    reason = serializers.CharField(allow_blank=True)


class RehearsalSerializer(serializers.Serializer):
    """``apply-durations`` on a completed rehearsal: how many plan tasks changed."""

    changed = serializers.IntegerField(read_only=True)
