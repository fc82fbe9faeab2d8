"""Serializers of the development API. Output serializers are read-only; writes validate an
input serializer and call the service (which checks the capability on the target project).

``complexity`` and ``estimate_days`` are internal: they are left out of the output for
callers without ``VIEW_INTERNAL`` on the item's project (client roles).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phases.design.models import FunctionDescription, ProcessDesign
from phases.development.models import DevelopmentItem, Environment, Release
from phases.development.transitions import ITEM_TRANSITIONS
from phases.discovery.models import Requirement
from projects.api.base import (
    INTERNAL_HELP,
    InternalFieldsMixin,
    MomentField,
    VersionField,
    enum_field,
    project_field,
    scoped_pk,
)
from projects.api.serializers import MemberField, UserBriefSerializer
from projects.roles import allowed_moves


@extend_schema_field(OpenApiTypes.STR)
class DeveloperField(MemberField):
    """A consultant or PM of the project, by username (the service checks the role)."""


class RequirementBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Requirement
        fields = ["id", "code", "title"]
        read_only_fields = fields


class ProcessDesignBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessDesign
        fields = ["id", "code", "name"]
        read_only_fields = fields


class FunctionDescriptionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = FunctionDescription
        fields = ["id", "title"]
        read_only_fields = fields


class EnvironmentBriefSerializer(serializers.ModelSerializer):
    kind = enum_field(Environment.Kind.choices, "EnvironmentKind", read_only=True)

    class Meta:
        model = Environment
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class ReleaseBriefSerializer(serializers.ModelSerializer):
    status = enum_field(Release.Status.choices, "ReleaseStatus", read_only=True)

    class Meta:
        model = Release
        fields = ["id", "code", "title", "status"]
        read_only_fields = fields


class ItemBriefSerializer(serializers.ModelSerializer):
    type = enum_field(DevelopmentItem.Type.choices, "DevelopmentItemType", read_only=True)
    status = enum_field(DevelopmentItem.Status.choices, "DevelopmentItemStatus", read_only=True)

    class Meta:
        model = DevelopmentItem
        fields = ["id", "code", "title", "type", "status"]
        read_only_fields = fields


# --- development items -----------------------------------------------------------------


class DevelopmentItemSerializer(InternalFieldsMixin, serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assignee = UserBriefSerializer(read_only=True, allow_null=True)
    target_environment = EnvironmentBriefSerializer(read_only=True, allow_null=True)
    current_environment = EnvironmentBriefSerializer(read_only=True, allow_null=True)
    target_release = ReleaseBriefSerializer(read_only=True, allow_null=True)
    requirements = RequirementBriefSerializer(many=True, read_only=True)
    process_designs = ProcessDesignBriefSerializer(many=True, read_only=True)
    function_descriptions = FunctionDescriptionBriefSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField(help_text="The statuses you may move this item to next.")
    type = enum_field(DevelopmentItem.Type.choices, "DevelopmentItemType", read_only=True)
    status = enum_field(DevelopmentItem.Status.choices, "DevelopmentItemStatus", read_only=True)
    direction = enum_field(DevelopmentItem.Direction.choices, "InterfaceDirection", blank=True, read_only=True)
    complexity = enum_field(
        DevelopmentItem.Complexity.choices,
        "DevelopmentItemComplexity",
        blank=True,
        required=False,  # not read_only: the schema must not list it as always present
        help_text=INTERNAL_HELP,
    )
    estimate_days = serializers.DecimalField(
        max_digits=6, decimal_places=1, required=False, allow_null=True, help_text=INTERNAL_HELP
    )

    class Meta:
        model = DevelopmentItem
        fields = [
            "id",
            "project",
            "code",
            "type",
            "title",
            "description",
            "requirements",
            "process_designs",
            "function_descriptions",
            "status",
            "allowed_transitions",
            "complexity",
            "estimate_days",
            "assignee",
            "target_environment",
            "target_release",
            "current_environment",
            "external_system",
            "direction",
            "protocol",
            "frequency",
            "data_objects",
            "status_changed_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        internal_fields = ("complexity", "estimate_days")

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/DevelopmentItemStatus"}})
    def get_allowed_transitions(self, item) -> list[str]:
        """The moves the caller may make; asked once per (project, status), so the query
        count of a list does not grow with its rows."""
        cache = self.context.setdefault("_item_moves", {})
        key = (item.project_id, item.status)
        if key not in cache:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            cache[key] = allowed_moves(user, item.project_id, ITEM_TRANSITIONS, item.status) if user else []
        return cache[key]


class _ItemFields(serializers.Serializer):
    type = enum_field(DevelopmentItem.Type.choices, "DevelopmentItemType")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    complexity = enum_field(
        DevelopmentItem.Complexity.choices,
        "DevelopmentItemComplexity",
        blank=True,
        required=False,
        help_text=INTERNAL_HELP,
    )
    estimate_days = serializers.DecimalField(
        max_digits=6, decimal_places=1, min_value=0, required=False, allow_null=True, help_text=INTERNAL_HELP
    )
    assignee = DeveloperField(
        required=False, allow_null=True, help_text="Username of a consultant or PM of the project."
    )
    target_environment = scoped_pk(Environment, required=False, allow_null=True)
    target_release = scoped_pk(Release, required=False, allow_null=True)
    external_system = serializers.CharField(max_length=120, required=False, allow_blank=True)
    direction = enum_field(DevelopmentItem.Direction.choices, "InterfaceDirection", blank=True, required=False)
    protocol = serializers.CharField(max_length=60, required=False, allow_blank=True)
    frequency = serializers.CharField(max_length=60, required=False, allow_blank=True)
    data_objects = serializers.CharField(max_length=300, required=False, allow_blank=True)
    requirements = scoped_pk(Requirement, many=True, required=False, help_text="Ids of the requirements realised.")
    process_designs = scoped_pk(ProcessDesign, many=True, required=False, help_text="Ids of the process designs.")
    function_descriptions = scoped_pk(
        FunctionDescription, many=True, required=False, help_text="Ids of the function descriptions realised."
    )


class DevelopmentItemInputSerializer(_ItemFields):
    project = project_field()


class DevelopmentItemUpdateSerializer(_ItemFields):
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            if name != "version":
                f.required = False


class TransitionSerializer(serializers.Serializer):
    to_status = enum_field(DevelopmentItem.Status.choices, "DevelopmentItemStatus", help_text="The status to move to.")
    version = VersionField()


# --- environments ----------------------------------------------------------------------


class EnvironmentSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = enum_field(Environment.Kind.choices, "EnvironmentKind", read_only=True)
    status = enum_field(Environment.Status.choices, "EnvironmentStatus", read_only=True)

    class Meta:
        model = Environment
        fields = [
            "id",
            "project",
            "name",
            "kind",
            "order",
            "url",
            "software_version",
            "status",
            "last_refresh",
            "description",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _EnvironmentFields(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    kind = enum_field(Environment.Kind.choices, "EnvironmentKind", required=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    url = serializers.URLField(required=False, allow_blank=True)
    software_version = serializers.CharField(max_length=60, required=False, allow_blank=True)
    status = enum_field(Environment.Status.choices, "EnvironmentStatus", required=False)
    last_refresh = MomentField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)


class EnvironmentInputSerializer(_EnvironmentFields):
    project = project_field()


class EnvironmentUpdateSerializer(_EnvironmentFields):
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False


# --- releases --------------------------------------------------------------------------


class ReleaseSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    source_environment = EnvironmentBriefSerializer(read_only=True)
    target_environment = EnvironmentBriefSerializer(read_only=True)
    items = ItemBriefSerializer(many=True, read_only=True)
    transported_by = UserBriefSerializer(read_only=True, allow_null=True)
    status = enum_field(Release.Status.choices, "ReleaseStatus", read_only=True)

    class Meta:
        model = Release
        fields = [
            "id",
            "project",
            "code",
            "title",
            "description",
            "source_environment",
            "target_environment",
            "items",
            "planned_date",
            "status",
            "transported_at",
            "transported_by",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _ReleaseFields(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    source_environment = scoped_pk(Environment)
    target_environment = scoped_pk(Environment)
    planned_date = serializers.DateField(required=False, allow_null=True)
    items = scoped_pk(DevelopmentItem, many=True, required=False, help_text="Ids of the development items to move.")


class ReleaseInputSerializer(_ReleaseFields):
    project = project_field()


class ReleaseUpdateSerializer(_ReleaseFields):
    version = VersionField()
    status = enum_field(
        [(v, label) for v, label in Release.Status.choices if v != Release.Status.TRANSPORTED],
        "ReleaseEditableStatus",
        required=False,
        help_text="Planned, failed or cancelled; a release becomes transported through the transport action.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "source_environment", "target_environment"):
            self.fields[name].required = False


class TransportSerializer(serializers.Serializer):
    version = VersionField()
