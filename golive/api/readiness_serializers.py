"""Serializers of the readiness API: criteria (output, create, PATCH, assessment), the
built-in rules a criterion may use, runs with their results and figures, and a comparison.

What a client role (sponsor, key user, viewer) reads: never an internal criterion or result
(the selectors' ``visible_to`` hides those rows), never the ``internal`` flag, a run's worker,
error or query count (``Meta.internal_fields``), and a finished run's score, recommendation
and blockers recomputed over the results it may see (``selectors.summary``): an internal
blocker is neither shown nor counted. The internal offending objects of a result
(``evidence_internal``) are the firm's only, and are not counted in a client's
``evidence_total`` either.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from golive.models import Category, ReadinessCriterion, ReadinessResult
from projects.api.base import InternalFieldsMixin, VersionField, enum_field, project_field
from projects.api.serializers import MemberField

RESULT_CHOICES = ReadinessResult.Result.choices


def _category(**kwargs):
    return enum_field(Category.choices, "ReadinessCategory", **kwargs)


def _kind(**kwargs):
    return enum_field(ReadinessCriterion.Kind.choices, "ReadinessCriterionKind", **kwargs)


def safe_url(url) -> str:
    """An evidence link as a rule stored it when it is a path of this site or an http(s)
    address; anything else (``javascript:``, ``//host``) answers "" (the label stays)."""
    url = str(url or "")
    if (url.startswith("/") and not url.startswith("//")) or url.startswith(("http://", "https://")):
        return url
    return ""


class ReadinessEvidenceSerializer(serializers.Serializer):
    """An offending object: its label and a link to it ("" when it has none)."""

    label = serializers.CharField()
    url = serializers.CharField(help_text="A path of this site or an http(s) address; empty when none.")


def _evidence(entries) -> list[dict]:
    entries = entries if isinstance(entries, list) else []
    return [
        {"label": str(entry.get("label", "")), "url": safe_url(entry.get("url"))}
        for entry in entries
        if isinstance(entry, dict)
    ]


# --- criteria -------------------------------------------------------------------------------


class ReadinessCriterionSerializer(InternalFieldsMixin, serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category = _category(read_only=True)
    kind = _kind(read_only=True)
    parameters = serializers.DictField(read_only=True, help_text="The rule's parameters over its defaults.")
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    assessment = enum_field(ReadinessCriterion.Assessment.choices, "ReadinessAssessment", read_only=True)
    assessed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = ReadinessCriterion
        fields = [
            "id",
            "project",
            "code",
            "title",
            "description",
            "category",
            "kind",
            "rule",
            "parameters",
            "weight",
            "blocking",
            "internal",
            "active",
            "order",
            "owner",
            "assessment",
            "assessment_note",
            "evidence_name",
            "evidence_url",
            "assessed_by",
            "assessed_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        internal_fields = ["internal"]

    @extend_schema_field(
        serializers.CharField(
            help_text="The assessment's attachment through the project's scoped download page; empty when none."
        )
    )
    def get_evidence_url(self, criterion) -> str:
        if not criterion.evidence:
            return ""
        return reverse("golive:criterion_evidence", args=[criterion.project.code, criterion.pk])


class _ReadinessCriterionFields(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True)
    kind = _kind(required=False)
    rule = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="An automatic criterion's built-in rule (GET readiness-criteria/rules/); empty for a manual one.",
    )
    parameters = serializers.DictField(
        required=False, help_text="The rule's named parameters; those left out take the rule's defaults."
    )
    weight = serializers.IntegerField(min_value=0, max_value=100, required=False)
    blocking = serializers.BooleanField(required=False, help_text="A failure means NO-GO.")
    internal = serializers.BooleanField(required=False, help_text="Hidden from client roles.")
    active = serializers.BooleanField(required=False)
    order = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False)
    owner = MemberField(required=False, allow_null=True, help_text="Who assesses a manual criterion (username).")


class ReadinessCriterionInputSerializer(_ReadinessCriterionFields):
    project = project_field()
    code = serializers.CharField(max_length=30)
    title = serializers.CharField(max_length=200)
    category = _category()


class ReadinessCriterionUpdateSerializer(_ReadinessCriterionFields):
    version = VersionField()
    code = serializers.CharField(max_length=30, required=False)
    title = serializers.CharField(max_length=200, required=False)
    category = _category(required=False)


class RequiredBooleanField(serializers.BooleanField):
    """A boolean a multipart form must name: DRF reads an absent checkbox as ``false``."""

    default_empty_html = empty


class ReadinessCriterionAssessSerializer(serializers.Serializer):
    version = VersionField()
    met = RequiredBooleanField(help_text="true: met; false: not met.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.FileField(
        required=False,
        help_text="An attachment (pdf, png, jpg, xlsx, docx, csv, txt, zip); checked like every upload.",
    )


# --- the built-in rules ---------------------------------------------------------------------


class ReadinessRuleChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class ReadinessRuleParamSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    default = serializers.JSONField(help_text="The value used when the criterion does not set it.")
    kind = enum_field(["int", "percent", "choice", "text"], "ReadinessRuleParamKind")
    choices = ReadinessRuleChoiceSerializer(many=True, help_text="The allowed values of a ``choice`` parameter.")


class ReadinessRuleSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    category = _category()
    params = ReadinessRuleParamSerializer(many=True)


def rule_data(rule) -> dict:
    """A registered ``base.Rule`` as ``ReadinessRuleSerializer`` reads it (lazy labels made text)."""
    return {
        "key": rule.key,
        "title": str(rule.title),
        "description": str(rule.description or ""),
        "category": str(rule.category),
        "params": [
            {
                "name": param.name,
                "label": str(param.label),
                "default": param.default if isinstance(param.default, int | float | bool) else str(param.default),
                "kind": param.kind,
                "choices": [{"value": str(value), "label": str(label)} for value, label in param.choices],
            }
            for param in rule.all_params
        ],
    }
