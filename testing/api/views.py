"""The testing API (``/api/v1/testing/``): every list scoped to the caller, every write a service."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from erpimpl.pagination import StandardPagination
from erpimpl.schema import PROJECT_NOT_FOUND, project_parameter
from projects import selectors as project_selectors
from projects.api.base import HasProjectCapability, ReadOnlyScopedViewSet, ServiceModelViewSet
from projects.roles import Capability
from testing import selectors, services
from testing.api import serializers as s
from testing.filters import (
    CaseFilterSet,
    CycleFilterSet,
    DefectFilterSet,
    ExecutionFilterSet,
    LoadTestResultFilterSet,
    ScopeFilterSet,
)
from testing.models import Case, Cycle, Defect, Execution, LoadTestResult

C = Capability
OPEN_DEFECTS_SHOWN = 20  # the most severe; ``open_defect_count`` counts them all
CASE_NOT_IN_CYCLE = "This test case is not in the cycle's scope."


def _in_scope(cycle, case):
    """The cycle's scope row of ``case``; a case outside the scope is a 400 on ``case``."""
    cycle_case = selectors.cycle_case_of(cycle=cycle, case=case)
    if cycle_case is None:
        raise ValidationError({"case": [_(CASE_NOT_IN_CYCLE)]})
    return cycle_case


class CaseViewSet(ServiceModelViewSet):
    """Test cases with ordered steps and links to requirements and development items."""

    queryset = Case.objects.all()
    serializer_class = s.CaseSerializer
    input_serializer_class = s.CaseInputSerializer
    update_serializer_class = s.CaseUpdateSerializer
    filterset_class = CaseFilterSet
    ordering_fields = ["code", "title", "type", "created_at"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "destroy": C.EDIT}
    write_services = {"create": services.case_create, "update": services.case_update, "delete": services.case_delete}
    service_object = "case"

    def get_queryset(self):
        return selectors.case_list(user=self.request.user)


class CycleViewSet(ServiceModelViewSet):
    """Test cycles: scope, testers, UAT sign-off (request by the test lead, decision by the sponsor)."""

    queryset = Cycle.objects.all()
    serializer_class = s.CycleSerializer
    input_serializer_class = s.CycleInputSerializer
    update_serializer_class = s.CycleUpdateSerializer
    action_input_serializers = {
        "add_cases": s.CycleAddCasesSerializer,
        "assign": s.CycleAssignSerializer,
        "request_signoff": s.CycleSignoffRequestSerializer,
        "signoff": s.CycleSignoffDecisionSerializer,
    }
    filterset_class = CycleFilterSet
    ordering_fields = ["name", "planned_start", "planned_end", "status", "created_at"]
    capabilities = {
        "list": C.VIEW,
        "retrieve": C.VIEW,
        "summary": C.VIEW,
        "cases": C.VIEW,
        "partial_update": C.EDIT,
        "destroy": C.EDIT,
        "add_cases": C.EDIT,
        "assign": C.EDIT,
        "request_signoff": C.EDIT,
        "signoff": C.APPROVE,
    }
    write_services = {
        "create": services.cycle_create,
        "update": services.cycle_update,
        "delete": services.cycle_delete,
    }
    service_object = "cycle"

    def get_queryset(self):
        return selectors.cycle_list(user=self.request.user)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _fresh(self, pk):
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(request=s.CycleAddCasesSerializer, responses={200: s.CycleSerializer})
    @action(detail=True, methods=["post"], url_path="add-cases")
    def add_cases(self, request, pk=None):
        """Put test cases in the cycle's scope, optionally assigned to one tester."""
        cycle = self.get_object()
        data = self._input(s.CycleAddCasesSerializer)
        services.cycle_add_cases(cycle=cycle, by=request.user, cases=data["cases"], assignee=data.get("assignee"))
        return Response(self._fresh(cycle.pk))

    @extend_schema(request=s.CycleAssignSerializer, responses={200: s.CycleSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign a case in scope to a tester (UAT cycles: a client key user)."""
        cycle = self.get_object()
        data = self._input(s.CycleAssignSerializer)
        cycle_case = _in_scope(cycle, data["case"])
        services.cycle_case_assign(cycle_case=cycle_case, by=request.user, assignee=data["assignee"])
        return Response(self._fresh(cycle.pk))

    @extend_schema(request=s.CycleSignoffRequestSerializer, responses={201: s.CycleSerializer})
    @action(detail=True, methods=["post"], url_path="request-signoff")
    def request_signoff(self, request, pk=None):
        """Ask for the cycle's sign-off (an Approval the sponsor decides)."""
        cycle = self.get_object()
        data = self._input(s.CycleSignoffRequestSerializer)
        services.cycle_signoff_request(cycle=cycle, by=request.user, approver=data.get("approver"))
        return Response(self._fresh(cycle.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CycleSignoffDecisionSerializer, responses={200: s.CycleSerializer})
    @action(detail=True, methods=["post"])
    def signoff(self, request, pk=None):
        """Decide the pending sign-off. Approving with open critical defects needs ``override`` and a reason."""
        cycle = self.get_object()
        data = self._input(s.CycleSignoffDecisionSerializer)
        services.cycle_signoff_decide(cycle=cycle, by=request.user, **data)
        return Response(self._fresh(cycle.pk))

    @extend_schema(
        parameters=[
            OpenApiParameter("result", str, enum=["in_progress", "passed", "failed", "blocked", "not_run"]),
            OpenApiParameter("assignee", str, description="Tester (username)."),
            OpenApiParameter("q", str, description="Case code or title contains."),
        ],
        responses={200: s.CycleCaseSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def cases(self, request, pk=None):
        """The cases in the cycle's scope, a page at a time, each with its latest run."""
        cycle = self.get_object()
        rows = ScopeFilterSet(request.query_params, queryset=selectors.cycle_scope(cycle), request=request)
        if not rows.is_valid():
            raise ValidationError(rows.errors)
        page = self.paginate_queryset(rows.qs)
        return self.get_paginated_response(s.CycleCaseSerializer(page, many=True).data)

    @extend_schema(responses={200: s.CycleSummarySerializer})
    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        """Cases by latest result, the open defects (the most severe), and the chart series of the cycle page."""
        cycle = self.get_object()
        open_defects = selectors.cycle_open_defects(cycle)
        return Response(
            {
                "counts": selectors.cycle_status_counts(cycle),
                "open_defects": s.TestingRefSerializer(open_defects[:OPEN_DEFECTS_SHOWN], many=True).data,
                "open_defect_count": open_defects.count(),
                "open_critical_defects": open_defects.filter(severity=Defect.Severity.CRITICAL).count(),
                "progress": selectors.execution_progress_chart(cycle),
                "defect_trend": selectors.defect_trend_chart(cycle),
            }
        )


class ExecutionViewSet(ReadOnlyScopedViewSet):
    """Runs of cases in cycles. POST starts a run (or a re-test), step results are recorded one
    by one, ``finish`` computes the result; evidence files attach to the run or a step."""

    queryset = Execution.objects.all()
    serializer_class = s.ExecutionSerializer
    input_serializer_class = s.ExecutionStartSerializer
    action_input_serializers = {
        "record_step": s.ExecutionRecordStepSerializer,
        "finish": s.ExecutionFinishSerializer,
        "evidence": s.ExecutionEvidenceUploadSerializer,
    }
    filterset_class = ExecutionFilterSet
    ordering_fields = ["started_at", "finished_at", "run", "status"]
    ordering = ["-started_at", "-id"]  # newest first: an index walk, not a sort of every run
    capabilities = {
        "list": C.VIEW,
        "retrieve": C.VIEW,
        "record_step": C.PARTICIPATE,
        "finish": C.PARTICIPATE,
        "evidence": C.PARTICIPATE,
    }

    def get_queryset(self):
        return selectors.execution_list(user=self.request.user)

    def create(self, request):
        serializer = s.ExecutionStartSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cycle_case = _in_scope(data["cycle"], data["case"])
        execution = services.execution_start(cycle_case=cycle_case, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=execution.pk)).data, status=201)

    @extend_schema(request=s.ExecutionRecordStepSerializer, responses={200: s.ExecutionSerializer})
    @action(detail=True, methods=["post"], url_path="record-step")
    def record_step(self, request, pk=None):
        """Record one step's result: passed, failed, blocked (or back to not run)."""
        execution = self.get_object()
        serializer = s.ExecutionRecordStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.execution_record_step(execution=execution, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=execution.pk)).data)

    @extend_schema(request=s.ExecutionFinishSerializer, responses={200: s.ExecutionSerializer})
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        """Close the run: failed if a step failed, blocked if one is blocked, else passed."""
        execution = self.get_object()
        serializer = s.ExecutionFinishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.execution_finish(execution=execution, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=execution.pk)).data)

    @extend_schema(
        request={"multipart/form-data": s.ExecutionEvidenceUploadSerializer},
        responses={201: s.ExecutionEvidenceSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        """Attach an evidence file (type and size limited) to the run or to one of its steps."""
        execution = self.get_object()
        serializer = s.ExecutionEvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evidence = services.evidence_add(
            execution=execution,
            by=request.user,
            file=serializer.validated_data["file"],
            step_order=serializer.validated_data.get("step"),
        )
        return Response(s.ExecutionEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class DefectViewSet(ServiceModelViewSet):
    """Defects. ``transition`` moves the status along the allowed transitions (see ``next_statuses``)."""

    queryset = Defect.objects.all()
    serializer_class = s.DefectSerializer
    list_serializer_class = s.DefectListSerializer
    input_serializer_class = s.DefectInputSerializer
    update_serializer_class = s.DefectUpdateSerializer
    action_input_serializers = {"transition": s.DefectTransitionSerializer, "comment": s.DefectCommentInputSerializer}
    field_actions = {"status": "transition"}  # a PATCH naming status answers 400 pointing here
    filterset_class = DefectFilterSet
    ordering_fields = ["code", "severity", "priority", "status", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    capabilities = {
        "list": C.VIEW,
        "retrieve": C.VIEW,
        "partial_update": C.EDIT,
        "transition": C.PARTICIPATE,
        "comment": C.PARTICIPATE,
    }

    write_services = {"create": services.defect_create, "update": services.defect_update}
    service_object = "defect"

    def get_queryset(self):
        return selectors.defect_list(user=self.request.user, details=self.action != "list")

    @extend_schema(request=s.DefectTransitionSerializer, responses={200: s.DefectSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the defect to ``to_status`` (one of its ``next_statuses``), with an optional comment."""
        defect = self.get_object()
        serializer = s.DefectTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.defect_transition(defect=defect, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=defect.pk)).data)

    @extend_schema(request=s.DefectCommentInputSerializer, responses={201: s.DefectCommentSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """Add a comment to the defect."""
        defect = self.get_object()
        serializer = s.DefectCommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.defect_comment_add(defect=defect, by=request.user, **serializer.validated_data)
        return Response(s.DefectCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class LoadTestResultViewSet(ReadOnlyScopedViewSet):
    """Load-test results; ``passed`` is computed from the figures and the acceptance bounds."""

    queryset = LoadTestResult.objects.all()
    serializer_class = s.LoadTestResultSerializer
    input_serializer_class = s.LoadTestResultInputSerializer
    filterset_class = LoadTestResultFilterSet
    ordering_fields = ["executed_at", "scenario", "passed"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW}

    def get_queryset(self):
        return selectors.load_result_list(user=self.request.user)

    @extend_schema(
        request={
            "application/json": s.LoadTestResultInputSerializer,
            "multipart/form-data": s.LoadTestResultInputSerializer,
        },
        responses={201: s.LoadTestResultSerializer},
    )
    def create(self, request):
        serializer = s.LoadTestResultInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        result = services.load_result_record(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(result).data, status=status.HTTP_201_CREATED)


class TraceabilityViewSet(viewsets.ViewSet):
    """The traceability matrix of one project, a page of requirements at a time, with the
    project's coverage figures."""

    permission_classes = [HasProjectCapability]
    capabilities = {"list": C.VIEW}

    @extend_schema(
        parameters=[
            project_parameter(),
            s.TraceabilityQuerySerializer,
            OpenApiParameter("page", int, description="A page number within the paginated result set."),
            OpenApiParameter("page_size", int, description="Number of results to return per page (at most 200)."),
        ],
        responses={200: s.TraceabilitySerializer, 404: PROJECT_NOT_FOUND},
    )
    def list(self, request):
        code = request.query_params.get("project")
        if not code:
            raise ValidationError({"project": [_("Give the project code: ?project=CODE.")]})
        project = project_selectors.project_get(user=request.user, code=code)
        query = s.TraceabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = {**query.validated_data, "status": list(query.validated_data.get("status", ()))}
        matrix = selectors.traceability_matrix(user=request.user, project=project, filters=filters)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(matrix.ids, request, view=self)
        data = {
            "project": project.code,
            "coverage": selectors.coverage(user=request.user, project=project),
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": matrix.rows(page),
        }
        return Response(s.TraceabilitySerializer(data).data)
