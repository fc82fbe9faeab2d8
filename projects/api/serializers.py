from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.api.base import ScopedPrimaryKeyField, VersionField, project_field
from projects.api.related import RelatedIdsField
from projects.models import (
    SIGNOFF_DECISIONS,
    Approval,
    Membership,
    MethodologyTemplate,
    Milestone,
    Phase,
    PhaseKind,
    Project,
    Task,
)
from projects.roles import Role

User = get_user_model()


class UserBriefSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


@extend_schema_field(OpenApiTypes.STR)
class MemberField(serializers.SlugRelatedField):
    """A user named by username, among members of the projects the caller can see."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", **kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        if user.is_staff:
            return User.objects.filter(is_active=True)
        return User.objects.filter(is_active=True, memberships__project__in=Project.objects.visible_to(user)).distinct()


# --- projects ---------------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "client_name",
            "description",
            "status",
            "planned_start",
            "planned_golive",
            "actual_golive",
            "template",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProjectCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    client_name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    planned_start = serializers.DateField()
    planned_golive = serializers.DateField()
    template = serializers.SlugRelatedField(
        slug_field="name", queryset=MethodologyTemplate.objects.all(), required=False, allow_null=True
    )


class ProjectUpdateSerializer(serializers.Serializer):
    version = VersionField()
    name = serializers.CharField(max_length=200, required=False)
    client_name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Project.Status.choices, required=False)
    planned_start = serializers.DateField(required=False)
    planned_golive = serializers.DateField(required=False)
    actual_golive = serializers.DateField(required=False, allow_null=True)


class SaveAsTemplateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class TemplateSerializer(serializers.ModelSerializer):
    item_count = serializers.IntegerField(source="items.count", read_only=True)

    class Meta:
        model = MethodologyTemplate
        fields = ["id", "name", "description", "is_builtin", "item_count", "created_at"]
        read_only_fields = fields


# --- memberships ------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    user = UserBriefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "project", "user", "role", "version", "created_at"]
        read_only_fields = fields


class MembershipInputSerializer(serializers.Serializer):
    project = project_field()
    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    role = serializers.ChoiceField(choices=Role.choices)


class MembershipUpdateSerializer(serializers.Serializer):
    version = VersionField()
    role = serializers.ChoiceField(choices=Role.choices, required=False)


# --- phases -----------------------------------------------------------------------------


class PhaseSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    gate_decision = serializers.CharField(source="gate_approval.decision", read_only=True, default=None)

    class Meta:
        model = Phase
        fields = [
            "id",
            "project",
            "kind",
            "order",
            "status",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "gate_approval",
            "gate_decision",
            "version",
        ]
        read_only_fields = fields


class PhaseUpdateSerializer(serializers.Serializer):
    version = VersionField()
    status = serializers.ChoiceField(choices=Phase.Status.choices, required=False)
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)
    actual_start = serializers.DateField(required=False, allow_null=True)
    actual_end = serializers.DateField(required=False, allow_null=True)


class GateRequestSerializer(serializers.Serializer):
    approver = MemberField(required=False, allow_null=True)


# --- milestones and tasks ---------------------------------------------------------------


class PhaseOfProjectField(serializers.ChoiceField):
    """A phase named by its kind; the service resolves it within the target project."""

    def __init__(self, **kwargs):
        super().__init__(choices=PhaseKind.choices, **kwargs)


class MilestoneSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    phase = serializers.CharField(source="phase.kind", read_only=True, default=None)

    class Meta:
        model = Milestone
        fields = ["id", "project", "phase", "title", "due_date", "achieved_on", "internal", "version"]
        read_only_fields = fields


class MilestoneInputSerializer(serializers.Serializer):
    project = project_field()
    phase = PhaseOfProjectField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    achieved_on = serializers.DateField(required=False, allow_null=True)
    internal = serializers.BooleanField(required=False, default=False)


class MilestoneUpdateSerializer(serializers.Serializer):
    version = VersionField()
    phase = PhaseOfProjectField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200, required=False)
    due_date = serializers.DateField(required=False)
    achieved_on = serializers.DateField(required=False, allow_null=True)
    internal = serializers.BooleanField(required=False)


class TaskSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    phase = serializers.CharField(source="phase.kind", read_only=True)
    owner = UserBriefSerializer(read_only=True)
    depends_on = RelatedIdsField()

    class Meta:
        model = Task
        fields = [
            "id",
            "project",
            "phase",
            "title",
            "description",
            "owner",
            "start",
            "due",
            "progress",
            "status",
            "depends_on",
            "is_deliverable",
            "order",
            "internal",
            "version",
        ]
        read_only_fields = fields


class _TaskFields(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True)
    owner = MemberField(required=False, allow_null=True)
    start = serializers.DateField(required=False, allow_null=True)
    due = serializers.DateField(required=False, allow_null=True)
    progress = serializers.IntegerField(required=False, min_value=0, max_value=100)
    status = serializers.ChoiceField(choices=Task.Status.choices, required=False)
    depends_on = ScopedPrimaryKeyField(model=Task, many=True, required=False)
    is_deliverable = serializers.BooleanField(required=False)
    order = serializers.IntegerField(required=False, min_value=0)
    internal = serializers.BooleanField(required=False)


class TaskInputSerializer(_TaskFields):
    project = project_field()
    phase = PhaseOfProjectField()
    title = serializers.CharField(max_length=200)


class TaskUpdateSerializer(_TaskFields):
    version = VersionField()
    phase = PhaseOfProjectField(required=False)
    title = serializers.CharField(max_length=200, required=False)


# --- approvals --------------------------------------------------------------------------


class ApprovalSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    requested_by = UserBriefSerializer(read_only=True)
    approver = UserBriefSerializer(read_only=True)
    decided_by = UserBriefSerializer(read_only=True)
    target_type = serializers.SerializerMethodField()

    class Meta:
        model = Approval
        fields = [
            "id",
            "project",
            "title",
            "target_type",
            "object_id",
            "requested_by",
            "approver",
            "decision",
            "comment",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_target_type(self, approval):
        ct = approval.content_type
        return f"{ct.app_label}.{ct.model}" if ct else None


class ApprovalInputSerializer(serializers.Serializer):
    project = project_field()
    title = serializers.CharField(max_length=200)
    approver = MemberField(required=False, allow_null=True)


class ApprovalDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=SIGNOFF_DECISIONS)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


# --- audit ------------------------------------------------------------------------------


class AuditEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    timestamp = serializers.DateTimeField()
    actor = serializers.SerializerMethodField()
    action = serializers.SerializerMethodField()
    object_type = serializers.SerializerMethodField()
    object_id = serializers.CharField(source="object_pk")
    object_repr = serializers.CharField()
    changes = serializers.JSONField(source="changes_dict", help_text="{field: [old, new]}")
    project_id = serializers.IntegerField(source="additional_data.project_id", default=None)

    def get_actor(self, entry) -> str | None:
        return entry.actor.username if entry.actor else None

    def get_action(self, entry) -> str:
        return {0: "create", 1: "update", 2: "delete", 3: "access"}.get(entry.action, str(entry.action))

    def get_object_type(self, entry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"
