"""Serializers of the go/no-go decision API: the record, its snapshot as the caller may read
it (client roles: no internal result), its two sign-offs, and the inputs of each write."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from golive.models import GoNoGoDecision, ReadinessRun
from golive.selectors.decisions import snapshot_for
from golive.services.decisions import needs_override
from projects.api.base import VersionField, enum_field, project_field, scoped_pk
from projects.api.serializers import MemberField
from projects.models import Approval


class DecisionSignoffSerializer(serializers.ModelSerializer):
    approver = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    decision = enum_field(Approval.Decision.choices, "GoNoGoSignoffState", read_only=True)

    class Meta:
        model = Approval
        fields = ["id", "approver", "requested_by", "decision", "decided_by", "decided_at", "comment"]
        read_only_fields = fields


class SnapshotResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    result = serializers.CharField()
    blocking = serializers.BooleanField()
    internal = serializers.BooleanField()
    weight = serializers.IntegerField()
    measured = serializers.CharField()
    threshold = serializers.CharField()


class SnapshotSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    number = serializers.IntegerField()
    finished_at = serializers.DateTimeField(allow_null=True)
    score = serializers.CharField(allow_null=True, help_text="Client roles: over the client-visible results only.")
    recommendation = serializers.CharField()
    blockers = serializers.IntegerField()
    results = SnapshotResultSerializer(many=True)


class DecisionSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    attendees = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    readiness_run = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    snapshot = serializers.SerializerMethodField()
    outcome = enum_field(GoNoGoDecision.Outcome.choices, "GoNoGoOutcome", read_only=True)
    needs_override = serializers.SerializerMethodField()
    sponsor_signoff = DecisionSignoffSerializer(read_only=True, allow_null=True)
    pm_signoff = DecisionSignoffSerializer(read_only=True, allow_null=True)

    class Meta:
        model = GoNoGoDecision
        fields = [
            "id",
            "project",
            "meeting_at",
            "attendees",
            "other_attendees",
            "readiness_run",
            "snapshot",
            "outcome",
            "conditions",
            "override_reason",
            "needs_override",
            "sponsor_signoff",
            "pm_signoff",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(SnapshotSerializer)
    def get_snapshot(self, obj):
        return snapshot_for(user=self.context["request"].user, decision=obj)

    @extend_schema_field(serializers.BooleanField(help_text="A GO must carry an override reason."))
    def get_needs_override(self, obj) -> bool:
        return needs_override(obj)


class DecisionInputSerializer(serializers.Serializer):
    project = project_field()
    meeting_at = serializers.DateTimeField()
    readiness_run = scoped_pk(ReadinessRun, help_text="A finished readiness check of the project.")
    attendees = MemberField(many=True, required=False, default=list, help_text="Members present (usernames).")
    other_attendees = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionUpdateSerializer(serializers.Serializer):
    version = VersionField()
    meeting_at = serializers.DateTimeField(required=False)
    attendees = MemberField(many=True, required=False)
    other_attendees = serializers.CharField(required=False, allow_blank=True)
    conditions = serializers.CharField(required=False, allow_blank=True)


class DecisionDecideSerializer(serializers.Serializer):
    go = serializers.BooleanField(help_text="true: GO (approve your sign-off); false: NO-GO (reject it).")
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for a GO when a blocking criterion failed in the snapshot.",
    )
