"""Serializers of the kick-off and its people: stakeholders, kick-offs, the RACI matrix."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phases.discovery.models import Kickoff, Level, RaciAssignment, Stakeholder
from phases.discovery.selectors import raci_matrix
from projects.api.base import MomentField, VersionField, project_field, scoped_pk
from projects.api.related import RelatedIdsField
from projects.api.serializers import MemberField, UserBriefSerializer

# --- stakeholders ---------------------------------------------------------------------


class StakeholderSerializer(serializers.ModelSerializer):
    project = project_field(read_only=True)
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
    user = MemberField(required=False, allow_null=True)
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
    project = project_field(read_only=True)
    attendee_members = UserBriefSerializer(many=True, read_only=True)
    attendee_stakeholders = RelatedIdsField()
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
    attendee_members = MemberField(many=True, required=False)
    attendee_stakeholders = scoped_pk(Stakeholder, many=True, required=False)
    goals = serializers.CharField(required=False, allow_blank=True)
    scope_in = serializers.CharField(required=False, allow_blank=True)
    scope_out = serializers.CharField(required=False, allow_blank=True)
    schedule_summary = serializers.CharField(required=False, allow_blank=True)
    expectations = serializers.CharField(required=False, allow_blank=True)
    ground_rules = serializers.CharField(required=False, allow_blank=True)


class KickoffInputSerializer(_KickoffFields):
    project = project_field()
    meeting_date = MomentField()


class KickoffUpdateSerializer(_KickoffFields):
    version = VersionField()
    meeting_date = MomentField(required=False)


class RaciRowSerializer(serializers.Serializer):
    activity = serializers.CharField(max_length=200)
    cells = serializers.DictField(
        child=serializers.ChoiceField(choices=[("", "")] + RaciAssignment.Letter.choices, allow_blank=True),
        help_text="Person key (u<user id> or s<stakeholder id>) → R, A, C or I.",
    )


class RaciInputSerializer(serializers.Serializer):
    version = VersionField()
    rows = RaciRowSerializer(many=True)
