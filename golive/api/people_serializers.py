"""Serializers of the support plan, training and user guide API: the records as read, and
the input of each write (validated here for shape, by the services for the rules)."""

from rest_framework import serializers

from golive.models import (
    Attendance,
    EscalationLevel,
    SupportPlan,
    SupportTeam,
    TrainingSession,
    UserGuide,
    UserGuideVersion,
)
from golive.services.people import plan_changed_since_approval
from phases.design.models import ProcessDesign
from projects.api.base import MomentField, VersionField, enum_field, project_field, scoped_pk
from projects.api.related import RelatedIdsField
from projects.api.serializers import MemberField
from projects.models import Approval
from projects.roles import Role

ROLE_CHOICES = Role.choices


class PlanSignoffSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    approver = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    decision = enum_field(Approval.Decision.choices, "SupportPlanSignoffState", read_only=True)

    class Meta:
        model = Approval
        fields = ["id", "requested_by", "approver", "decision", "decided_by", "decided_at", "comment", "created_at"]
        read_only_fields = fields


class EscalationSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(source="plan.project", slug_field="code", read_only=True)
    level = enum_field(EscalationLevel.Level.choices, "EscalationLevelName", read_only=True)
    team = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = EscalationLevel
        fields = ["id", "project", "level", "team", "contact_name", "contact_email", "contact_phone", "when"]
        read_only_fields = fields


class SupportPlanSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    signoff = PlanSignoffSerializer(read_only=True, allow_null=True)
    approved = serializers.BooleanField(read_only=True)
    changed_since_approval = serializers.SerializerMethodField()

    class Meta:
        model = SupportPlan
        fields = [
            "id", "project", "hypercare_start", "hypercare_end", "exit_criteria", "procedure", "working_hours",
            "signoff", "approved", "changed_since_approval", "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_changed_since_approval(self, plan) -> bool:
        return plan_changed_since_approval(plan)


class SupportPlanUpdateSerializer(serializers.Serializer):
    version = VersionField()
    hypercare_start = serializers.DateField(required=False, allow_null=True)
    hypercare_end = serializers.DateField(required=False, allow_null=True)
    exit_criteria = serializers.CharField(required=False, allow_blank=True)
    procedure = serializers.CharField(required=False, allow_blank=True)
    working_hours = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ApprovalRequestSerializer(serializers.Serializer):
    approver = MemberField(required=False, allow_null=True, help_text="Who must decide; empty: any approver.")


class SupportTeamSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(source="plan.project", slug_field="code", read_only=True)
    members = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = SupportTeam
        fields = ["id", "project", "name", "working_hours", "members"]
        read_only_fields = fields


class SupportTeamInputSerializer(serializers.Serializer):
    project = project_field()
    name = serializers.CharField(max_length=120)
    working_hours = serializers.CharField(required=False, allow_blank=True, max_length=200)
    members = MemberField(many=True, required=False)


class SupportTeamUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=120)
    working_hours = serializers.CharField(required=False, allow_blank=True, max_length=200)
    members = MemberField(many=True, required=False)


class EscalationInputSerializer(serializers.Serializer):
    project = project_field()
    level = enum_field(EscalationLevel.Level.choices, "EscalationLevelName")
    team = scoped_pk(SupportTeam, required=False, allow_null=True)
    contact_name = serializers.CharField(max_length=120)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    when = serializers.CharField(required=False, allow_blank=True, max_length=200)


class EscalationUpdateSerializer(serializers.Serializer):
    level = enum_field(EscalationLevel.Level.choices, "EscalationLevelName", required=False)
    team = scoped_pk(SupportTeam, required=False, allow_null=True)
    contact_name = serializers.CharField(required=False, max_length=120)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    when = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TrainingSessionSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    audience_roles = serializers.ListField(child=enum_field(ROLE_CHOICES, "ProjectRole"), read_only=True)
    processes = RelatedIdsField()
    trainer = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id", "project", "topic", "audience_roles", "processes", "starts_at", "ends_at", "trainer", "place",
            "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class TrainingSessionUpdateSerializer(serializers.Serializer):
    version = VersionField()
    topic = serializers.CharField(required=False, max_length=200)
    audience_roles = serializers.ListField(child=enum_field(ROLE_CHOICES, "ProjectRole"), required=False)
    processes = scoped_pk(ProcessDesign, many=True, required=False)
    starts_at = MomentField(required=False)
    ends_at = MomentField(required=False)
    trainer = MemberField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)


class TrainingSessionInputSerializer(TrainingSessionUpdateSerializer):
    version = None
    project = project_field()
    topic = serializers.CharField(max_length=200)
    starts_at = MomentField()
    ends_at = MomentField()


class InviteSerializer(serializers.Serializer):
    users = MemberField(many=True, required=False)
    roles = serializers.ListField(
        child=enum_field(ROLE_CHOICES, "ProjectRole"),
        required=False,
        help_text="Invite every member with one of these roles. Neither users nor roles: the audience roles.",
    )


class InviteResultSerializer(serializers.Serializer):
    invited = serializers.IntegerField(help_text="How many people were invited now (already invited: not counted).")


class AttendanceSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(source="session.project", slug_field="code", read_only=True)
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = enum_field(Attendance.Status.choices, "AttendanceStatus", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "project", "session", "user", "status", "updated_at"]
        read_only_fields = fields


class AttendanceUpdateSerializer(serializers.Serializer):
    status = enum_field(Attendance.Status.choices, "AttendanceStatus")


class GuideVersionSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = UserGuideVersion
        fields = ["id", "number", "original_name", "content_type", "size", "note", "uploaded_by", "created_at"]
        read_only_fields = fields


class UserGuideSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    processes = RelatedIdsField()
    versions = GuideVersionSerializer(many=True, read_only=True)

    class Meta:
        model = UserGuide
        fields = ["id", "project", "title", "processes", "published", "versions", "version", "updated_at"]
        read_only_fields = fields


class UserGuideUpdateSerializer(serializers.Serializer):
    version = VersionField()
    title = serializers.CharField(required=False, max_length=200)
    processes = scoped_pk(ProcessDesign, many=True, required=False)


class UserGuideInputSerializer(serializers.Serializer):
    project = project_field()
    title = serializers.CharField(max_length=200)
    processes = scoped_pk(ProcessDesign, many=True, required=False)


class GuideUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
