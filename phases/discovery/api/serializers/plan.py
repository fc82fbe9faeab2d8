"""Serializers of the plan side: RAID log, rollout waves, plan documents, the sign-off."""

from rest_framework import serializers

from phases.discovery.models import DiscoverySignoff, PlanDocument, RaidItem, RolloutSite, RolloutWave
from projects.api.base import VersionField, project_field
from projects.api.serializers import ApprovalSerializer, MemberField
from projects.models import SIGNOFF_DECISIONS

# --- RAID log -------------------------------------------------------------------------


class RaidItemSerializer(serializers.ModelSerializer):
    project = project_field(read_only=True)
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
    owner = MemberField(required=False, allow_null=True)
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
    project = project_field(read_only=True)
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
    project = project_field(read_only=True)
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
    project = project_field(read_only=True)
    approval = ApprovalSerializer(read_only=True)

    class Meta:
        model = DiscoverySignoff
        fields = ["id", "project", "summary", "snapshot", "approval", "created_at"]
        read_only_fields = fields


class DiscoverySignoffInputSerializer(serializers.Serializer):
    project = project_field()
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    approver = MemberField(required=False, allow_null=True)


class SignoffDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=SIGNOFF_DECISIONS)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
