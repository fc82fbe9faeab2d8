"""Serializers of readiness runs: results, figures (client roles get theirs), compare."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from golive import selectors
from golive.api.readiness_serializers import ReadinessEvidenceSerializer, _category, _evidence, _kind
from golive.models import ReadinessResult, ReadinessRun
from projects.api.base import InternalFieldsMixin, enum_field, project_field

RESULT_CHOICES = ReadinessResult.Result.choices

# --- runs ----------------------------------------------------------------------------------


class ReadinessResultSerializer(InternalFieldsMixin, serializers.ModelSerializer):
    """A criterion's outcome in a run, with the criterion as it was then (a snapshot)."""

    criterion = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    category = _category(read_only=True)
    kind = _kind(read_only=True)
    result = enum_field(RESULT_CHOICES, "ReadinessResultValue", read_only=True)
    evidence = serializers.SerializerMethodField()
    evidence_internal = serializers.SerializerMethodField()
    evidence_total = serializers.SerializerMethodField()

    class Meta:
        model = ReadinessResult
        fields = [
            "id",
            "criterion",
            "code",
            "title",
            "category",
            "kind",
            "rule",
            "weight",
            "blocking",
            "internal",
            "result",
            "measured",
            "threshold",
            "detail",
            "evidence",
            "evidence_internal",
            "evidence_total",
        ]
        read_only_fields = fields
        internal_fields = ["internal", "evidence_internal"]

    @extend_schema_field(ReadinessEvidenceSerializer(many=True))
    def get_evidence(self, result) -> list:
        return _evidence(result.evidence)

    @extend_schema_field(
        ReadinessEvidenceSerializer(many=True, help_text="Internal offending objects (firm roles only).")
    )
    def get_evidence_internal(self, result) -> list:
        return _evidence(result.evidence_internal)

    @extend_schema_field(
        serializers.IntegerField(help_text="Offending objects you may see, listed or not (at most 50 are listed).")
    )
    def get_evidence_total(self, result) -> int:
        if self._shows_internal(result.run.project_id):
            return result.evidence_total
        hidden = result.evidence_internal if isinstance(result.evidence_internal, list) else []
        return max(result.evidence_total - len(hidden), len(_evidence(result.evidence)))


#: Results by outcome over the results you may see: one count per ``ReadinessResult.Result``
#: (built with ``type``: ``pass`` is a Python keyword, it cannot be a class attribute's name).
ResultCountsSerializer = type(
    "ReadinessResultCountsSerializer",
    (serializers.Serializer,),
    {key: serializers.IntegerField() for key, _label in RESULT_CHOICES},
)


class FiguresMixin:
    """A run's score, recommendation and blockers as the caller may read them.

    Until a run has finished its figures are empty (nothing is judged yet). A finished run:
    the run's own figures for the firm's roles, ``selectors.summary`` (over the client-visible
    results) for client roles; a list computes those for a whole page in one query
    (``client_figures``, set by the view), a detail through the selector.
    """

    def _figures(self, run) -> tuple:
        cached = getattr(run, "_api_figures", None)
        if cached is not None:
            return cached
        score = float(run.score) if run.score is not None else None
        figures = (score, run.recommendation, run.blockers)
        if run.status == ReadinessRun.Status.SUCCEEDED and not self._shows_internal(run.project_id):
            figures = getattr(run, "client_figures", None) or self._summary_figures(run)
        run._api_figures = figures
        return figures

    def _summary_figures(self, run) -> tuple:
        found = self.summary_of(run)
        return found.score, found.recommendation, found.blockers

    def summary_of(self, run):
        cached = getattr(run, "_api_summary", None)
        if cached is None:
            cached = run._api_summary = selectors.summary(user=self.context["request"].user, run=run)
        return cached

    @extend_schema_field(serializers.FloatField(allow_null=True, help_text="Weighted score in percent."))
    def get_score(self, run) -> float | None:
        return self._figures(run)[0]

    @extend_schema_field(
        enum_field(ReadinessRun.Recommendation.choices, "ReadinessRecommendation", blank=True, read_only=True)
    )
    def get_recommendation(self, run) -> str:
        return self._figures(run)[1]

    @extend_schema_field(serializers.IntegerField(help_text="Blocking criteria that failed (or errored)."))
    def get_blockers(self, run) -> int:
        return self._figures(run)[2]


class ReadinessRunSerializer(InternalFieldsMixin, FiguresMixin, serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = enum_field(ReadinessRun.Status.choices, "ReadinessRunStatus", read_only=True)
    trigger = enum_field(ReadinessRun.Trigger.choices, "ReadinessRunTrigger", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    progress_percent = serializers.IntegerField(read_only=True)
    score = serializers.SerializerMethodField()
    recommendation = serializers.SerializerMethodField()
    blockers = serializers.SerializerMethodField()

    class Meta:
        model = ReadinessRun
        fields = [
            "id",
            "url",
            "project",
            "number",
            "status",
            "trigger",
            "requested_by",
            "criteria_total",
            "criteria_done",
            "progress_percent",
            "cancel_requested",
            "score",
            "recommendation",
            "blockers",
            "started_at",
            "finished_at",
            "duration_ms",
            "query_count",
            "worker",
            "error",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        internal_fields = ["query_count", "worker", "error"]

    @extend_schema_field(serializers.CharField(help_text="This run in the API: GET it for its progress."))
    def get_url(self, run) -> str:
        return reverse("golive-api:readiness-run-detail", args=[run.pk])


class ReadinessSummarySerializer(serializers.Serializer):
    score = serializers.FloatField(allow_null=True)
    recommendation = enum_field(ReadinessRun.Recommendation.choices, "ReadinessRecommendation", blank=True)
    blockers = serializers.IntegerField()
    counts = ResultCountsSerializer()


class ReadinessRunDetailSerializer(ReadinessRunSerializer):
    """A run with the results the caller may see and its summary figures."""

    summary = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()

    class Meta(ReadinessRunSerializer.Meta):
        fields = [*ReadinessRunSerializer.Meta.fields, "summary", "results"]
        read_only_fields = fields

    @extend_schema_field(ReadinessSummarySerializer)
    def get_summary(self, run) -> dict:
        score, recommendation, blockers = self._figures(run)
        return {
            "score": score,
            "recommendation": recommendation,
            "blockers": blockers,
            "counts": self.summary_of(run).counts,
        }

    @extend_schema_field(ReadinessResultSerializer(many=True))
    def get_results(self, run) -> list:
        results = list(selectors.result_list(user=self.context["request"].user, run=run))
        for result in results:
            result.run = run  # its project without a query per result
        return ReadinessResultSerializer(results, many=True, context=self.context).data


class ReadinessRunInputSerializer(serializers.Serializer):
    project = project_field(help_text="Project code: every active criterion of it is checked.")


class ReadinessChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    before = enum_field(RESULT_CHOICES, "ReadinessResultValue", allow_null=True, help_text="null: not in that run.")
    after = enum_field(RESULT_CHOICES, "ReadinessResultValue", allow_null=True, help_text="null: not in that run.")
    appeared = serializers.ListField(child=serializers.CharField(), help_text="Evidence labels new in the later run.")
    gone = serializers.ListField(child=serializers.CharField(), help_text="Evidence labels gone in the later run.")


class ReadinessRunRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()


class ReadinessCompareSerializer(serializers.Serializer):
    older = ReadinessRunRefSerializer()
    newer = ReadinessRunRefSerializer()
    changes = ReadinessChangeSerializer(many=True, help_text="Criteria whose result or evidence changed.")
