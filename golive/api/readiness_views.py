"""The readiness API (``/api/v1/golive/readiness-criteria/``, ``/api/v1/golive/readiness-runs/``).

Criteria: list (filters, ordering, pages), read, create, PATCH with ``version`` (409 when
stale), delete, the manual assessment (``assess``: met / not met, a note, an attachment) and
the built-in rules a criterion may use (``rules``). Runs are a long job's resource, like a
migration run: POST asks for one (202 with its URL), GET follows its status and progress and
shows its results and figures, ``cancel`` stops it, ``compare`` lists what changed since
another run. Every read starts from the selectors (scoped, internal rows hidden from client
roles), every write is a service of ``golive.services.readiness`` (which checks the role).
"""

from types import SimpleNamespace

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from erpimpl.schema import ErrorSerializer, FieldErrorsSerializer
from golive import selectors, services
from golive.api import readiness_run_serializers as rs
from golive.api import readiness_serializers as s
from golive.filters import CriterionFilterSet, RunFilterSet
from golive.models import ReadinessCriterion, ReadinessResult, ReadinessRun
from golive.parts import optional
from golive.readiness import base
from projects.api.base import ScopedViewSet, ServiceCreateMixin, ServiceModelViewSet
from projects.roles import Capability, can

C = Capability
COMPARE_WITH_MISSING = N_("Name the run to compare with: ?with=<run id>.")
COMPARE_WITH_INVALID = N_("A run id is a whole number.")
COMPARE_WITH_NOT_FOUND = N_("No such readiness check among those you can see.")
COMPARE_OTHER_PROJECT = N_("Both readiness checks must be of the same project.")


def builtin_rules() -> list:
    """The registered built-in rules, by key. ``golive.readiness.rules`` registers them when
    it is imported; without it (a partial install) the list is empty, not an error."""
    optional("golive.readiness.rules")
    return [base.RULES[key] for key in sorted(base.RULES)]


class ReadinessCriterionViewSet(ServiceModelViewSet):
    """Readiness criteria of your projects. Client roles never see an internal criterion nor
    the ``internal`` flag. An automatic criterion names a built-in rule (``rules/``) and its
    parameters; a manual one is assessed by its owner (``assess``)."""

    queryset = ReadinessCriterion.objects.all()
    serializer_class = s.ReadinessCriterionSerializer
    input_serializer_class = s.ReadinessCriterionInputSerializer
    update_serializer_class = s.ReadinessCriterionUpdateSerializer
    action_input_serializers = {"assess": s.ReadinessCriterionAssessSerializer}
    filterset_class = CriterionFilterSet
    ordering_fields = ["order", "code", "title", "category", "weight", "created_at", "updated_at"]
    field_actions = {"assessment": "assess", "assessment_note": "assess", "evidence": "assess"}
    capabilities = {
        "list": C.VIEW,
        "retrieve": C.VIEW,
        "rules": C.VIEW,
        "partial_update": C.EDIT,
        "destroy": C.EDIT,
        "assess": C.PARTICIPATE,  # the owner or an editor: the service decides
    }
    write_services = {
        "create": services.criterion_create,
        "update": services.criterion_update,
        "delete": services.criterion_delete,
    }
    service_object = "criterion"

    def get_queryset(self):
        return selectors.criterion_list(user=self.request.user)

    @extend_schema(
        request={
            "multipart/form-data": s.ReadinessCriterionAssessSerializer,
            "application/json": s.ReadinessCriterionAssessSerializer,
        },
        responses={200: s.ReadinessCriterionSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def assess(self, request, pk=None):
        """Mark a manual criterion met or not met, with a note and an optional attachment
        (type and size checked). Its owner may, and anyone who may edit the criteria."""
        criterion = self.get_object()
        serializer = s.ReadinessCriterionAssessSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assessed = services.criterion_assess(
            criterion=criterion,
            by=request.user,
            met=data["met"],
            note=data["note"],
            evidence=data.get("evidence"),
            version=data["version"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=assessed.pk)).data)

    @extend_schema(responses={200: s.ReadinessRuleSerializer(many=True)}, filters=False)
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def rules(self, request):
        """The built-in rules an automatic criterion may use, each with its named parameters
        (their defaults, kinds and allowed values), to build a criterion."""
        return Response(s.ReadinessRuleSerializer([s.rule_data(rule) for rule in builtin_rules()], many=True).data)


class ReadinessRunViewSet(ServiceCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Readiness checks. POST asks for one (202, ``Location`` = its URL; one at a time per
    project); GET shows its status and progress, and once it ran its results and figures
    (client roles: over the client-visible results only); ``cancel`` stops it; ``compare``
    lists the criteria whose result or evidence changed since another run."""

    queryset = ReadinessRun.objects.all()
    serializer_class = rs.ReadinessRunDetailSerializer
    list_serializer_class = rs.ReadinessRunSerializer
    input_serializer_class = rs.ReadinessRunInputSerializer
    write_services = {"create": services.readiness_run_request}
    filterset_class = RunFilterSet
    ordering_fields = ["number", "created_at", "finished_at", "status"]
    http_method_names = ["get", "post", "head", "options"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "compare": C.VIEW, "cancel": C.RUN_JOBS}

    def get_queryset(self):
        return selectors.run_list(user=self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page:
            attach_client_figures(page, user=self.request.user)
        return page

    @extend_schema(
        request=rs.ReadinessRunInputSerializer,
        responses={
            202: rs.ReadinessRunDetailSerializer,
            400: OpenApiResponse(
                FieldErrorsSerializer, "Invalid input, or a check of this project is already under way (its number)."
            ),
        },
    )
    def create(self, request):
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = self.perform_service_create(serializer.validated_data)
        url = reverse("golive-api:readiness-run-detail", args=[run.pk])
        data = self.get_serializer(self.get_queryset().get(pk=run.pk)).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": url})

    @extend_schema(
        request=None,
        responses={
            200: rs.ReadinessRunDetailSerializer,
            400: OpenApiResponse(ErrorSerializer, "The check has already ended (the message says how)."),
        },
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Stop the check: a queued one ends at once, a running one before its next criterion."""
        run = services.readiness_run_cancel(run=self.get_object(), by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=run.pk)).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("with", int, required=True, description="The id of the other run of the same project.")
        ],
        responses={200: rs.ReadinessCompareSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def compare(self, request, pk=None):
        """What changed between this run and another of the same project (the older one first):
        criteria whose result changed, and the evidence that appeared or went."""
        run = self.get_object()
        other = self._other_run(request, run)
        older, newer = sorted((run, other), key=lambda r: r.number)
        changes = selectors.compare(user=request.user, older=older, newer=newer)
        body = {
            "older": {"id": older.pk, "number": older.number},
            "newer": {"id": newer.pk, "number": newer.number},
            "changes": [vars(change) for change in changes],
        }
        return Response(rs.ReadinessCompareSerializer(body).data)

    def _other_run(self, request, run) -> ReadinessRun:
        raw = request.query_params.get("with", "")
        if not raw:
            raise ValidationError({"with": [_(COMPARE_WITH_MISSING)]})
        if not raw.isdigit() or len(raw) > 18:
            raise ValidationError({"with": [_(COMPARE_WITH_INVALID)]})
        other = selectors.run_list(user=request.user).filter(pk=int(raw)).first()
        if other is None:
            raise NotFound(_(COMPARE_WITH_NOT_FOUND))
        if other.project_id != run.project_id:
            raise ValidationError({"with": [_(COMPARE_OTHER_PROJECT)]})
        return other


def attach_client_figures(runs, *, user) -> None:
    """Give each finished run of a page that ``user`` reads as a client role its figures over
    the client-visible results (``client_figures``): one query for the page, the rule of
    ``selectors.summary`` (the service's ``score_of``), never the run's own internal figures."""
    wanted = [
        run
        for run in runs
        if run.status == ReadinessRun.Status.SUCCEEDED and not can(user, run.project_id, C.VIEW_INTERNAL)
    ]
    if not wanted:
        return
    rows: dict[int, list] = {run.pk: [] for run in wanted}
    visible = ReadinessResult.objects.visible_to(user).filter(run_id__in=list(rows))
    for run_id, result, weight, blocking in visible.values_list("run_id", "result", "weight", "blocking"):
        rows[run_id].append(SimpleNamespace(result=result, weight=weight, blocking=blocking))
    for run in wanted:
        score, recommendation, blockers = services.score_of(rows[run.pk])
        run.client_figures = (float(score) if score is not None else None, recommendation, blockers)
