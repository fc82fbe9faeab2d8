"""Serializers of the design API: read (ModelSerializer) and input (plain Serializer) shapes.

Input serializers only validate shape; the services hold the rules (BPMN validation,
same-project references, versioning after approval, evidence before verification).
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from phases.design.models import (
    DesignStatus,
    FunctionDescription,
    ProcessDesign,
    ProcessDesignVersion,
    ProcessStep,
    TechnicalRequirement,
)
from phases.discovery.models import BusinessArea, Requirement
from projects.api.base import VersionField, project_field, scoped_pk
from projects.api.serializers import MemberField, UserBriefSerializer
from projects.files import EVIDENCE_TYPES
from projects.models import SIGNOFF_DECISIONS, Approval

PROJECT = serializers.SlugRelatedField(slug_field="code", read_only=True)


class DesignRequirementRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Requirement
        fields = ["id", "code", "title", "business_area", "status"]
        read_only_fields = fields


class DesignSignoffSerializer(serializers.ModelSerializer):
    """The design's current sign-off request."""

    approver = UserBriefSerializer(read_only=True)
    decided_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = Approval
        fields = ["id", "title", "decision", "approver", "decided_by", "decided_at", "comment", "created_at"]
        read_only_fields = fields


# --- process designs --------------------------------------------------------------------


class ProcessStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessStep
        fields = ["order", "title", "actor", "erp_function", "work_instruction"]
        read_only_fields = fields


class ProcessStepInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    actor = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    erp_function = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    work_instruction = serializers.CharField(required=False, allow_blank=True, default="")


class ProcessDesignSerializer(serializers.ModelSerializer):
    project = PROJECT
    owner = UserBriefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=DesignStatus.choices, read_only=True)
    requirements = DesignRequirementRefSerializer(many=True, read_only=True)
    steps = ProcessStepSerializer(many=True, read_only=True)
    signoff = DesignSignoffSerializer(source="approval", read_only=True, allow_null=True)
    has_bpmn = serializers.BooleanField(read_only=True)
    bpmn_url = serializers.SerializerMethodField()

    class Meta:
        model = ProcessDesign
        fields = [
            "id",
            "project",
            "code",
            "business_area",
            "name",
            "as_is",
            "to_be",
            "owner",
            "status",
            "revision",
            "requirements",
            "steps",
            "has_bpmn",
            "bpmn_filename",
            "bpmn_url",
            "signoff",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_bpmn_url(self, design):
        if not design.bpmn_xml:
            return None
        return reverse("design-api:processdesign-bpmn", args=[design.pk])


class _DesignFields(serializers.Serializer):
    as_is = serializers.CharField(required=False, allow_blank=True)
    to_be = serializers.CharField(required=False, allow_blank=True)
    owner = MemberField(required=False, allow_null=True)
    requirements = scoped_pk(
        Requirement, many=True, required=False, help_text="Ids of the requirements the design covers."
    )
    steps = ProcessStepInputSerializer(
        many=True, required=False, help_text="The full list of steps, in order (replaces)."
    )


class ProcessDesignInputSerializer(_DesignFields):
    project = project_field()
    business_area = serializers.ChoiceField(choices=BusinessArea.choices)
    name = serializers.CharField(max_length=200)


class ProcessDesignUpdateSerializer(_DesignFields):
    version = VersionField()
    business_area = serializers.ChoiceField(choices=BusinessArea.choices, required=False)
    name = serializers.CharField(max_length=200, required=False)


class BpmnUploadSerializer(serializers.Serializer):
    version = VersionField()
    file = serializers.FileField(help_text="A BPMN 2.0 XML file (.bpmn), with diagram interchange.")


class DesignSubmitSerializer(serializers.Serializer):
    approver = MemberField(
        required=False, allow_null=True, help_text="Username of the approver; empty: any PM or sponsor."
    )


class DesignDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=SIGNOFF_DECISIONS)
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required when rejecting.")


# --- versions ---------------------------------------------------------------------------


class ProcessDesignVersionSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="design.project.code", read_only=True)
    design_code = serializers.CharField(source="design.code", read_only=True)
    superseded_by = UserBriefSerializer(read_only=True)
    signoff = DesignSignoffSerializer(source="approval", read_only=True, allow_null=True)
    has_bpmn = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProcessDesignVersion
        fields = [
            "id",
            "project",
            "design",
            "design_code",
            "number",
            "business_area",
            "name",
            "status",
            "signoff",
            "has_bpmn",
            "bpmn_filename",
            "superseded_by",
            "created_at",
        ]
        read_only_fields = fields


class DesignVersionStepSerializer(serializers.Serializer):
    title = serializers.CharField()
    actor = serializers.CharField()
    erp_function = serializers.CharField()
    work_instruction = serializers.CharField()


class DesignVersionRequirementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()


class ProcessDesignVersionDetailSerializer(ProcessDesignVersionSerializer):
    steps = DesignVersionStepSerializer(many=True, read_only=True)
    requirements = DesignVersionRequirementSerializer(many=True, read_only=True)

    class Meta(ProcessDesignVersionSerializer.Meta):
        fields = [*ProcessDesignVersionSerializer.Meta.fields, "as_is", "to_be", "steps", "requirements", "bpmn_xml"]
        read_only_fields = fields


# --- function descriptions --------------------------------------------------------------


class FunctionDescriptionSerializer(serializers.ModelSerializer):
    project = PROJECT
    requirement = DesignRequirementRefSerializer(read_only=True)
    design = serializers.PrimaryKeyRelatedField(read_only=True)
    design_code = serializers.CharField(source="design.code", read_only=True, default=None)

    class Meta:
        model = FunctionDescription
        fields = [
            "id",
            "project",
            "requirement",
            "design",
            "design_code",
            "kind",
            "title",
            "description",
            "erp_reference",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _FunctionFields(serializers.Serializer):
    design = scoped_pk(ProcessDesign, required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=FunctionDescription.Kind.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    erp_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)


class FunctionDescriptionInputSerializer(_FunctionFields):
    project = project_field()
    requirement = scoped_pk(Requirement)
    title = serializers.CharField(max_length=200)


class FunctionDescriptionUpdateSerializer(_FunctionFields):
    version = VersionField()
    requirement = scoped_pk(Requirement, required=False)
    title = serializers.CharField(max_length=200, required=False)


# --- technical requirements -------------------------------------------------------------


class TechnicalRequirementSerializer(serializers.ModelSerializer):
    project = PROJECT
    owner = UserBriefSerializer(read_only=True)
    verified_by = UserBriefSerializer(read_only=True)
    evidence_file_url = serializers.SerializerMethodField()

    class Meta:
        model = TechnicalRequirement
        fields = [
            "id",
            "project",
            "code",
            "category",
            "title",
            "description",
            "acceptance_criterion",
            "owner",
            "status",
            "evidence",
            "evidence_filename",
            "evidence_file_url",
            "verified_at",
            "verified_by",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_evidence_file_url(self, requirement):
        if not requirement.evidence_file:
            return None
        return reverse("design-api:technicalrequirement-evidence", args=[requirement.pk])


class _TechnicalFields(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True)
    owner = MemberField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=TechnicalRequirement.Status.choices, required=False)
    evidence = serializers.CharField(required=False, allow_blank=True, help_text="How the criterion was verified.")
    evidence_file = serializers.FileField(
        required=False,
        help_text="Optional evidence file (multipart): "
        + ", ".join(ext.lstrip(".") for ext in EVIDENCE_TYPES)
        + "; its content must match its extension.",
    )


class TechnicalRequirementInputSerializer(_TechnicalFields):
    project = project_field()
    category = serializers.ChoiceField(choices=TechnicalRequirement.Category.choices)
    title = serializers.CharField(max_length=200)
    acceptance_criterion = serializers.CharField()


class TechnicalRequirementUpdateSerializer(_TechnicalFields):
    version = VersionField()
    category = serializers.ChoiceField(choices=TechnicalRequirement.Category.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    acceptance_criterion = serializers.CharField(required=False)
    remove_evidence_file = serializers.BooleanField(required=False, default=False)


# --- coverage ---------------------------------------------------------------------------


class CoverageProcessDesignSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=DesignStatus.choices, read_only=True)

    class Meta:
        model = ProcessDesign
        fields = ["id", "code", "name", "business_area", "status"]
        read_only_fields = fields


@extend_schema_serializer(many=False)  # the list action of the coverage viewset answers one object
class DesignCoverageSerializer(serializers.Serializer):
    project = serializers.CharField(source="project.code")
    agreed_requirements = serializers.IntegerField(source="agreed_count")
    covered_requirements = serializers.IntegerField(source="covered_count")
    uncovered_count = serializers.IntegerField()
    designs_without_requirements_count = serializers.IntegerField()
    coverage_percent = serializers.IntegerField(source="percent")
    uncovered_requirements = DesignRequirementRefSerializer(
        many=True, help_text="Agreed requirements covered by no process design and no function description."
    )
    designs_without_requirements = CoverageProcessDesignSerializer(many=True)
