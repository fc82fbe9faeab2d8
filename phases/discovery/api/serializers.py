"""Serializers of the discovery API: read (ModelSerializer) and input (plain Serializer) shapes.

Input serializers only validate shape; the services hold the rules. References to other
rows (owner, processes, stakeholders, attendees) are looked up among what the caller may
see, and the service checks they belong to the same project.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phases.discovery.models import (
    BusinessArea,
    CurrentProcess,
    DiscoverySignoff,
    Kickoff,
    Level,
    PlanDocument,
    RaciAssignment,
    RaidItem,
    Requirement,
    RolloutSite,
    RolloutWave,
    Stakeholder,
)
from phases.discovery.services import raci_matrix
from projects.api.base import VersionField, project_field
from projects.api.serializers import ApprovalSerializer, MemberField, UserBriefSerializer
from projects.models import SIGNOFF_DECISIONS
from projects.roles import Capability, can

PROJECT = serializers.SlugRelatedField(slug_field="code", read_only=True)


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A row (by id) among those the caller may see; others answer "does not exist"."""

    def __init__(self, model=None, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model.objects.all())  # the type for the schema; lookups use get_queryset
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)


class ProjectMemberField(MemberField):
    """``MemberField`` with a declared queryset so the schema knows its type (lookups stay scoped)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", get_user_model().objects.all())
        super().__init__(**kwargs)


def _ref(model, **kwargs):
    return VisibleRelatedField(model=model, **kwargs)


# --- stakeholders ---------------------------------------------------------------------


class StakeholderSerializer(serializers.ModelSerializer):
    project = PROJECT
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "project",
            "name",
            "organisation",
            "title",
            "email",
            "phone",
            "influence",
            "interest",
            "user",
            "notes",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _StakeholderFields(serializers.Serializer):
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    influence = serializers.ChoiceField(choices=Level.choices, required=False)
    interest = serializers.ChoiceField(choices=Level.choices, required=False)
    user = ProjectMemberField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class StakeholderInputSerializer(_StakeholderFields):
    project = project_field()
    name = serializers.CharField(max_length=200)


class StakeholderUpdateSerializer(_StakeholderFields):
    version = VersionField()
    name = serializers.CharField(max_length=200, required=False)


# --- kick-offs ------------------------------------------------------------------------


class RaciSerializer(serializers.Serializer):
    columns = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="[key, name] per person: key is u<user id> (member) or s<stakeholder id> (stakeholder).",
    )
    rows = serializers.ListField(child=serializers.DictField(), help_text="[{activity, letters: [R|A|C|I|'']}]")


class KickoffSerializer(serializers.ModelSerializer):
    project = PROJECT
    attendee_members = UserBriefSerializer(many=True, read_only=True)
    attendee_stakeholders = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    raci = serializers.SerializerMethodField()

    class Meta:
        model = Kickoff
        fields = [
            "id",
            "project",
            "title",
            "meeting_date",
            "location",
            "attendee_members",
            "attendee_stakeholders",
            "goals",
            "scope_in",
            "scope_out",
            "schedule_summary",
            "expectations",
            "ground_rules",
            "raci",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RaciSerializer)
    def get_raci(self, kickoff) -> dict:
        return raci_matrix(kickoff)


class _KickoffFields(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    attendee_members = ProjectMemberField(many=True, required=False)
    attendee_stakeholders = _ref(Stakeholder, many=True, required=False)
    goals = serializers.CharField(required=False, allow_blank=True)
    scope_in = serializers.CharField(required=False, allow_blank=True)
    scope_out = serializers.CharField(required=False, allow_blank=True)
    schedule_summary = serializers.CharField(required=False, allow_blank=True)
    expectations = serializers.CharField(required=False, allow_blank=True)
    ground_rules = serializers.CharField(required=False, allow_blank=True)


class KickoffInputSerializer(_KickoffFields):
    project = project_field()
    meeting_date = serializers.DateTimeField()


class KickoffUpdateSerializer(_KickoffFields):
    version = VersionField()
    meeting_date = serializers.DateTimeField(required=False)


class RaciRowSerializer(serializers.Serializer):
    activity = serializers.CharField(max_length=200)
    cells = serializers.DictField(
        child=serializers.ChoiceField(choices=[("", "")] + RaciAssignment.Letter.choices, allow_blank=True),
        help_text="Person key (u<user id> or s<stakeholder id>) → R, A, C or I.",
    )


class RaciInputSerializer(serializers.Serializer):
    version = VersionField()
    rows = RaciRowSerializer(many=True)


# --- current processes ----------------------------------------------------------------


class CurrentProcessSerializer(serializers.ModelSerializer):
    project = PROJECT
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
    owner = ProjectMemberField(required=False, allow_null=True)


class CurrentProcessInputSerializer(_ProcessFields):
    project = project_field()
    business_area = serializers.ChoiceField(choices=BusinessArea.choices)
    name = serializers.CharField(max_length=200)


class CurrentProcessUpdateSerializer(_ProcessFields):
    version = VersionField()
    business_area = serializers.ChoiceField(choices=BusinessArea.choices, required=False)
    name = serializers.CharField(max_length=200, required=False)


# --- requirements ---------------------------------------------------------------------


class RequirementSerializer(serializers.ModelSerializer):
    """``internal_notes`` is present only for firm roles (PM, consultant, staff)."""

    project = PROJECT
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    processes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    internal_notes = serializers.CharField(
        read_only=True, required=False, help_text="Only in answers to firm roles; never shown to client roles."
    )

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
            "owner",
            "processes",
            "internal_notes",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _may_see_internal(self, project_id) -> bool:
        cache = self.context.setdefault("_internal_ok", {})
        if project_id not in cache:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            cache[project_id] = bool(user) and can(user, project_id, Capability.VIEW_INTERNAL)
        return cache[project_id]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self._may_see_internal(instance.project_id):
            data.pop("internal_notes", None)
        return data


class _RequirementFields(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=Requirement.Source.choices, required=False)
    priority = serializers.ChoiceField(choices=Requirement.Priority.choices, required=False)
    fit_gap = serializers.ChoiceField(choices=Requirement.FitGap.choices, required=False, allow_blank=True)
    resolution = serializers.ChoiceField(choices=Requirement.Resolution.choices, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Requirement.Status.choices, required=False)
    owner = ProjectMemberField(required=False, allow_null=True)
    internal_notes = serializers.CharField(required=False, allow_blank=True)
    processes = _ref(CurrentProcess, many=True, required=False)


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
    file = serializers.ListField(child=serializers.CharField())
    errors = serializers.ListField(child=serializers.CharField(), help_text="One message per faulty row.")


# --- RAID log -------------------------------------------------------------------------


class RaidItemSerializer(serializers.ModelSerializer):
    project = PROJECT
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    score = serializers.IntegerField(read_only=True, allow_null=True, help_text="probability × impact (risks)")

    class Meta:
        model = RaidItem
        fields = [
            "id",
            "project",
            "kind",
            "title",
            "description",
            "probability",
            "impact",
            "score",
            "response",
            "owner",
            "due",
            "status",
            "internal",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _RaidFields(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True)
    probability = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    impact = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    response = serializers.CharField(required=False, allow_blank=True)
    owner = ProjectMemberField(required=False, allow_null=True)
    due = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=RaidItem.Status.choices, required=False)
    internal = serializers.BooleanField(required=False)


class RaidItemInputSerializer(_RaidFields):
    project = project_field()
    kind = serializers.ChoiceField(choices=RaidItem.Kind.choices)
    title = serializers.CharField(max_length=300)


class RaidItemUpdateSerializer(_RaidFields):
    version = VersionField()
    kind = serializers.ChoiceField(choices=RaidItem.Kind.choices, required=False)
    title = serializers.CharField(max_length=300, required=False)


# --- rollout waves --------------------------------------------------------------------


class RolloutSiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = RolloutSite
        fields = ["company", "site", "location", "users_count"]


class RolloutWaveSerializer(serializers.ModelSerializer):
    project = PROJECT
    sites = RolloutSiteSerializer(many=True, read_only=True)

    class Meta:
        model = RolloutWave
        fields = [
            "id",
            "project",
            "name",
            "sequence",
            "start_date",
            "golive_date",
            "description",
            "sites",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _WaveFields(serializers.Serializer):
    sequence = serializers.IntegerField(min_value=0, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    sites = RolloutSiteSerializer(many=True, required=False, help_text="Replaces the wave's sites when given.")


class RolloutWaveInputSerializer(_WaveFields):
    project = project_field()
    name = serializers.CharField(max_length=200)
    start_date = serializers.DateField()
    golive_date = serializers.DateField()


class RolloutWaveUpdateSerializer(_WaveFields):
    version = VersionField()
    name = serializers.CharField(max_length=200, required=False)
    start_date = serializers.DateField(required=False)
    golive_date = serializers.DateField(required=False)


# --- plan documents -------------------------------------------------------------------


class PlanDocumentSerializer(serializers.ModelSerializer):
    project = PROJECT
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PlanDocument
        fields = [
            "id",
            "project",
            "kind",
            "title",
            "description",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "internal",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PlanDocumentInputSerializer(serializers.Serializer):
    project = project_field()
    kind = serializers.ChoiceField(choices=PlanDocument.Kind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    internal = serializers.BooleanField(required=False, default=False)
    file = serializers.FileField()


class PlanDocumentUpdateSerializer(serializers.Serializer):
    version = VersionField()
    kind = serializers.ChoiceField(choices=PlanDocument.Kind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    internal = serializers.BooleanField(required=False)


# --- sign-off -------------------------------------------------------------------------


class DiscoverySignoffSerializer(serializers.ModelSerializer):
    project = PROJECT
    approval = ApprovalSerializer(read_only=True)

    class Meta:
        model = DiscoverySignoff
        fields = ["id", "project", "summary", "snapshot", "approval", "created_at"]
        read_only_fields = fields


class DiscoverySignoffInputSerializer(serializers.Serializer):
    project = project_field()
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    approver = ProjectMemberField(required=False, allow_null=True)


class SignoffDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=SIGNOFF_DECISIONS)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
