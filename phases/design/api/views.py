"""The design API: ``/api/v1/design/<resource>/``. Every write calls a service.

Querysets are scoped to the caller before filtering, so another project's design,
version, function description or technical requirement answers 404, custom actions included.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from erpimpl.schema import FILE_DOWNLOAD, PROJECT_NOT_FOUND, FieldErrorsSerializer, project_parameter
from phases.design import selectors, services
from phases.design.api import serializers as s
from phases.design.downloads import bpmn_download, evidence_download
from phases.design.filters import (
    FunctionDescriptionFilterSet,
    ProcessDesignFilterSet,
    ProcessDesignVersionFilterSet,
    TechnicalRequirementFilterSet,
)
from phases.design.models import FunctionDescription, ProcessDesign, ProcessDesignVersion, TechnicalRequirement
from projects import selectors as project_selectors
from projects.api.base import ReadOnlyScopedViewSet, ServiceModelViewSet, errors_named
from projects.roles import Capability

C = Capability
GIVE_PROJECT = N_("Give the project code: ?project=CODE.")


class ProcessDesignViewSet(ServiceModelViewSet):
    """Process designs: as-is / to-be, BPMN 2.0 diagram, steps, requirements covered, sign-off.

    ``status`` is derived from the current sign-off: draft, in_review, approved. Once a
    design has been approved, every change keeps the earlier state as a version
    (``/process-design-versions/``); changing an approved design sends it back to review.
    """

    queryset = ProcessDesign.objects.all()
    serializer_class = s.ProcessDesignSerializer
    input_serializer_class = s.ProcessDesignInputSerializer
    update_serializer_class = s.ProcessDesignUpdateSerializer
    action_input_serializers = {
        "submit": s.DesignSubmitSerializer,
        "decide": s.DesignDecisionSerializer,
        "upload_bpmn": s.BpmnUploadSerializer,
    }
    filterset_class = ProcessDesignFilterSet
    ordering_fields = ["number", "name", "business_area", "updated_at"]
    capabilities = {
        "list": C.VIEW,
        "retrieve": C.VIEW,
        "bpmn": C.VIEW,
        "partial_update": C.EDIT,
        "destroy": C.EDIT,
        "upload_bpmn": C.EDIT,
        "submit": C.EDIT,
        "decide": C.APPROVE,
    }

    write_services = {
        "create": services.process_design_create,
        "update": services.process_design_update,
        "delete": services.process_design_delete,
    }
    service_object = "design"

    def get_queryset(self):
        return selectors.process_design_list(user=self.request.user).prefetch_related("steps", "requirements")

    def _fresh(self, design):
        return self.get_serializer(
            selectors.process_design_get(user=self.request.user, project=None, pk=design.pk)
        ).data

    @extend_schema(
        summary="Download the BPMN diagram",
        description="The design's BPMN 2.0 XML as uploaded, for any member of the project.",
        responses={(200, "application/xml"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def bpmn(self, request, pk=None):
        return bpmn_download(self.get_object())

    @extend_schema(
        summary="Upload the BPMN diagram",
        description="Multipart: ``file`` (a BPMN 2.0 .bpmn file with diagram interchange) and ``version``. "
        "Anything that is not a BPMN 2.0 model (or declares a DTD/entities) answers 400 with the reason.",
        request={"multipart/form-data": s.BpmnUploadSerializer},
        responses={200: s.ProcessDesignSerializer},
    )
    @action(detail=True, methods=["post"], url_path="upload-bpmn", parser_classes=[MultiPartParser, FormParser])
    def upload_bpmn(self, request, pk=None):
        design = self.get_object()
        serializer = s.BpmnUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with errors_named(bpmn_file="file"):  # the service (and the page's form) call it bpmn_file
            updated = services.process_design_update(
                design=design,
                by=request.user,
                version=serializer.validated_data["version"],
                bpmn_file=serializer.validated_data["file"],
            )
        return Response(self._fresh(updated))

    @extend_schema(
        summary="Submit for review",
        description="Ask for the sign-off of the design (a PM or the sponsor decides). The design is then in_review.",
        request=s.DesignSubmitSerializer,
        responses={200: s.ProcessDesignSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        design = self.get_object()
        serializer = s.DesignSubmitSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        updated = services.process_design_submit(design=design, by=request.user, **serializer.validated_data)
        return Response(self._fresh(updated))

    @extend_schema(
        summary="Approve or reject",
        description="Decide the design's pending sign-off (PM or sponsor; the named approver if one was named). "
        "Rejecting needs a comment; a rejected design is a draft again.",
        request=s.DesignDecisionSerializer,
        responses={200: s.ProcessDesignSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        design = self.get_object()
        serializer = s.DesignDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.process_design_decide(design=design, by=request.user, **serializer.validated_data)
        return Response(self._fresh(updated))


class ProcessDesignVersionViewSet(ReadOnlyScopedViewSet):
    """Earlier versions of process designs (read-only): the state before each change made after approval."""

    queryset = ProcessDesignVersion.objects.all()
    serializer_class = s.ProcessDesignVersionSerializer
    filterset_class = ProcessDesignVersionFilterSet
    ordering_fields = ["number", "created_at"]

    def get_queryset(self):
        return selectors.process_design_version_list(user=self.request.user)

    def get_serializer_class(self):
        return s.ProcessDesignVersionDetailSerializer if self.action == "retrieve" else s.ProcessDesignVersionSerializer


class FunctionDescriptionViewSet(ServiceModelViewSet):
    """What the ERP will do for each requirement: standard function, configuration or development item."""

    queryset = FunctionDescription.objects.all()
    serializer_class = s.FunctionDescriptionSerializer
    input_serializer_class = s.FunctionDescriptionInputSerializer
    update_serializer_class = s.FunctionDescriptionUpdateSerializer
    filterset_class = FunctionDescriptionFilterSet
    ordering_fields = ["title", "kind", "updated_at"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "destroy": C.EDIT}

    write_services = {
        "create": services.function_description_create,
        "update": services.function_description_update,
        "delete": services.function_description_delete,
    }
    service_object = "function"

    def get_queryset(self):
        return selectors.function_description_list(user=self.request.user)


class TechnicalRequirementViewSet(ServiceModelViewSet):
    """Technical requirements with acceptance criteria; verifying one needs evidence (text or file).

    Create and update accept JSON, or multipart when an ``evidence_file`` is sent.
    """

    queryset = TechnicalRequirement.objects.all()
    serializer_class = s.TechnicalRequirementSerializer
    input_serializer_class = s.TechnicalRequirementInputSerializer
    update_serializer_class = s.TechnicalRequirementUpdateSerializer
    filterset_class = TechnicalRequirementFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    ordering_fields = ["number", "category", "status", "updated_at"]
    capabilities = {
        "list": C.VIEW,
        "retrieve": C.VIEW,
        "evidence": C.VIEW,
        "partial_update": C.EDIT,
        "destroy": C.EDIT,
    }

    write_services = {
        "create": services.technical_requirement_create,
        "update": services.technical_requirement_update,
        "delete": services.technical_requirement_delete,
    }
    service_object = "requirement"

    def get_queryset(self):
        return selectors.technical_requirement_list(user=self.request.user)

    @extend_schema(summary="Download the evidence file", responses=FILE_DOWNLOAD)
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        return evidence_download(self.get_object())


class CoverageViewSet(viewsets.ViewSet):
    """Design coverage of a project: agreed requirements that no process design and no
    function description covers, and process designs that cover no requirement, with counts."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.DesignCoverageSerializer
    filter_backends = []

    @extend_schema(
        parameters=[project_parameter()],
        responses={
            200: s.DesignCoverageSerializer,
            400: OpenApiResponse(FieldErrorsSerializer, "No ?project= given."),
            404: PROJECT_NOT_FOUND,
        },
    )
    def list(self, request):
        code = request.query_params.get("project")
        if not code:
            raise ValidationError({"project": [_(GIVE_PROJECT)]})
        project = project_selectors.project_get(user=request.user, code=code)
        coverage = selectors.design_coverage(user=request.user, project=project)
        return Response(s.DesignCoverageSerializer(coverage).data)
