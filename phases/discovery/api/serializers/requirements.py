"""Serializers of current processes and requirements (with the import's shapes).

``internal_notes`` is dropped for client roles (``InternalFieldsMixin``);
``allowed_transitions`` lists the status moves the caller may make (``transitions.py``).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phases.discovery.models import BusinessArea, CurrentProcess, Requirement
from phases.discovery.transitions import REQUIREMENT_TRANSITIONS
from projects.api.base import INTERNAL_HELP, InternalFieldsMixin, VersionField, project_field, scoped_pk
from projects.api.output import ModelOutputMixin
from projects.api.related import RelatedIdsField
from projects.api.serializers import MemberField
from projects.roles import allowed_moves

# --- current processes ----------------------------------------------------------------


class CurrentProcessSerializer(serializers.ModelSerializer):
    project = project_field(read_only=True)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CurrentProcess
        fields = [
            "id",
            "project",
            "business_area",
            "name",
            "as_is_description",
            "systems_used",
            "volumes",
            "pain_points",
            "owner",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _ProcessFields(serializers.Serializer):
    as_is_description = serializers.CharField(required=False, allow_blank=True)
    systems_used = serializers.CharField(max_length=300, required=False, allow_blank=True)
    volumes = serializers.CharField(max_length=300, required=False, allow_blank=True)
    pain_points = serializers.CharField(required=False, allow_blank=True)
    owner = MemberField(required=False, allow_null=True)


class CurrentProcessInputSerializer(_ProcessFields):
    project = project_field()
    business_area = serializers.ChoiceField(choices=BusinessArea.choices)
    name = serializers.CharField(max_length=200)


class CurrentProcessUpdateSerializer(_ProcessFields):
    version = VersionField()
    business_area = serializers.ChoiceField(choices=BusinessArea.choices, required=False)
    name = serializers.CharField(max_length=200, required=False)


# --- requirements ---------------------------------------------------------------------


class RequirementSerializer(InternalFieldsMixin, ModelOutputMixin, serializers.ModelSerializer):
    """``internal_notes`` is present only for firm roles (PM, consultant, staff)."""

    project = project_field(read_only=True)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    processes = RelatedIdsField()
    internal_notes = serializers.CharField(read_only=True, required=False, help_text=INTERNAL_HELP)
    allowed_transitions = serializers.SerializerMethodField(help_text="The statuses you may move it to next.")

    class Meta:
        model = Requirement
        fields = [
            "id",
            "project",
            "code",
            "title",
            "description",
            "business_area",
            "source",
            "priority",
            "fit_gap",
            "resolution",
            "status",
            "allowed_transitions",
            "owner",
            "processes",
            "internal_notes",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        internal_fields = ("internal_notes",)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Requirement.Status.choices)))
    def get_allowed_transitions(self, requirement) -> list[str]:
        """Cached per (project, status): the query count does not grow with the rows."""
        cache = self.context.setdefault("_requirement_moves", {})
        key = (requirement.project_id, requirement.status)
        if key not in cache:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            cache[key] = (
                allowed_moves(user, requirement.project_id, REQUIREMENT_TRANSITIONS, requirement.status) if user else []
            )
        return cache[key]


class _RequirementFields(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=Requirement.Source.choices, required=False)
    priority = serializers.ChoiceField(choices=Requirement.Priority.choices, required=False)
    fit_gap = serializers.ChoiceField(choices=Requirement.FitGap.choices, required=False, allow_blank=True)
    resolution = serializers.ChoiceField(choices=Requirement.Resolution.choices, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Requirement.Status.choices, required=False)
    owner = MemberField(required=False, allow_null=True)
    internal_notes = serializers.CharField(required=False, allow_blank=True)
    processes = scoped_pk(CurrentProcess, many=True, required=False)


class RequirementInputSerializer(_RequirementFields):
    project = project_field()
    code = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="Leave empty for the next REQ-nnn."
    )
    title = serializers.CharField(max_length=300)
    business_area = serializers.ChoiceField(choices=BusinessArea.choices)


class RequirementUpdateSerializer(_RequirementFields):
    version = VersionField()
    title = serializers.CharField(max_length=300, required=False)
    business_area = serializers.ChoiceField(choices=BusinessArea.choices, required=False)


class RequirementImportSerializer(serializers.Serializer):
    project = project_field()
    file = serializers.FileField(help_text="A .csv (UTF-8) or .xlsx file with a header row of known columns.")


class RequirementImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    codes = serializers.ListField(child=serializers.CharField())


class ImportErrorSerializer(serializers.Serializer):
    project = serializers.ListField(child=serializers.CharField(), required=False)
    file = serializers.ListField(child=serializers.CharField(), required=False, help_text="Why the file was refused.")
    errors = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="When the file was read: one message per faulty row."
    )
