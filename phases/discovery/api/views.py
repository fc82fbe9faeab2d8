"""Discovery API: one flat collection per resource under ``/api/v1/discovery/``.

Every queryset is scoped to the caller before filtering (another project's row answers
404); writes validate an input serializer and call a service, which checks the capability.
"""

from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from erpimpl.errors import PayloadTooLarge
from erpimpl.schema import FILE_DOWNLOAD, FILE_FORMAT, PROJECT_NOT_FOUND, SPREADSHEET_DOWNLOAD, project_parameter
from phases.discovery import exports, services, spreadsheets
from phases.discovery.api import serializers as s
from phases.discovery.filters import (
    CurrentProcessFilterSet,
    DiscoverySignoffFilterSet,
    KickoffFilterSet,
    PlanDocumentFilterSet,
    RaidItemFilterSet,
    RequirementFilterSet,
    RolloutWaveFilterSet,
    StakeholderFilterSet,
)
from phases.discovery.models import (
    CurrentProcess,
    DiscoverySignoff,
    Kickoff,
    PlanDocument,
    RaidItem,
    Requirement,
    RolloutWave,
    Stakeholder,
)
from projects.api.base import ReadOnlyScopedViewSet, ServiceModelViewSet
from projects.roles import Capability
from projects.selectors import project_get

C = Capability


class _Crud(ServiceModelViewSet):
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "destroy": C.EDIT}


class StakeholderViewSet(_Crud):
    """People with a stake in the project (members or not): influence and interest."""

    queryset = Stakeholder.objects.all()
    select_related = ("project", "user")
    serializer_class = s.StakeholderSerializer
    input_serializer_class = s.StakeholderInputSerializer
    update_serializer_class = s.StakeholderUpdateSerializer
    filterset_class = StakeholderFilterSet
    write_services = {
        "create": services.stakeholder_create,
        "update": services.stakeholder_update,
        "delete": services.stakeholder_delete,
    }
    service_object = "stakeholder"
    ordering_fields = ["name", "organisation", "influence", "interest", "created_at"]


class KickoffViewSet(_Crud):
    """Kick-off meetings with attendees, scope, expectations and the RACI matrix."""

    queryset = Kickoff.objects.all()
    select_related = ("project",)
    serializer_class = s.KickoffSerializer
    input_serializer_class = s.KickoffInputSerializer
    update_serializer_class = s.KickoffUpdateSerializer
    filterset_class = KickoffFilterSet
    write_services = {
        "create": services.kickoff_create,
        "update": services.kickoff_update,
        "delete": services.kickoff_delete,
    }
    service_object = "kickoff"
    ordering_fields = ["meeting_date", "created_at"]
    capabilities = {**_Crud.capabilities, "raci": C.EDIT}

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attendee_members")

    @extend_schema(request=s.RaciInputSerializer, responses={200: s.KickoffSerializer})
    @action(detail=True, methods=["post"])
    def raci(self, request, pk=None):
        """Replace the RACI matrix (activities × people)."""
        kickoff = self.get_object()
        serializer = s.RaciInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        updated = services.kickoff_set_raci(kickoff=kickoff, by=request.user, **serializer.validated_data)
        return Response(s.KickoffSerializer(updated, context=self.get_serializer_context()).data)


class CurrentProcessViewSet(_Crud):
    """Business processes as run today (as-is), with systems, volumes and pain points."""

    queryset = CurrentProcess.objects.all()
    select_related = ("project", "owner")
    serializer_class = s.CurrentProcessSerializer
    input_serializer_class = s.CurrentProcessInputSerializer
    update_serializer_class = s.CurrentProcessUpdateSerializer
    filterset_class = CurrentProcessFilterSet
    write_services = {
        "create": services.current_process_create,
        "update": services.current_process_update,
        "delete": services.current_process_delete,
    }
    service_object = "process"
    ordering_fields = ["business_area", "name", "created_at"]


class RequirementViewSet(_Crud):
    """Requirements with fit/gap. ``internal_notes`` appears only for firm roles.

    ``export`` gives the filtered list as CSV or XLSX; ``import`` creates requirements from a
    CSV/XLSX file, all or nothing, with one message per faulty row.
    """

    queryset = Requirement.objects.all()
    select_related = ("project", "owner")
    serializer_class = s.RequirementSerializer
    input_serializer_class = s.RequirementInputSerializer
    update_serializer_class = s.RequirementUpdateSerializer
    filterset_class = RequirementFilterSet
    write_services = {
        "create": services.requirement_create,
        "update": services.requirement_update,
        "delete": services.requirement_delete,
    }
    service_object = "requirement"
    ordering_fields = ["code", "priority", "status", "business_area", "created_at", "updated_at"]
    capabilities = {**_Crud.capabilities, "export": C.VIEW, "import_file": C.EDIT}
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def _project_param(self, value):
        if not value:
            raise serializers.ValidationError({"project": ["This field is required."]})
        return project_get(user=self.request.user, code=value)

    @extend_schema(
        filters=True,  # the list's filters apply
        parameters=[project_parameter(), FILE_FORMAT],
        responses={**SPREADSHEET_DOWNLOAD, 404: PROJECT_NOT_FOUND},
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The requirements of ``?project=CODE`` (with the list's filters) as CSV or XLSX."""
        project = self._project_param(request.query_params.get("project"))
        rows = self.filter_queryset(self.get_queryset()).filter(project=project)
        try:
            fmt = exports.export_format(request.query_params.get("file_format"))
        except exports.UnknownFormat as refused:
            raise serializers.ValidationError({"file_format": [str(refused)]}) from None
        return exports.requirement_export_response(project=project, by=request.user, requirements=rows, fmt=fmt)

    @extend_schema(
        request={"multipart/form-data": s.RequirementImportSerializer},
        responses={
            201: s.RequirementImportResultSerializer,
            400: OpenApiResponse(s.ImportErrorSerializer, description="The file was refused; nothing saved."),
        },
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_file(self, request):
        serializer = s.RequirementImportSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            created = services.requirement_import(
                project=serializer.validated_data["project"],
                by=request.user,
                filename=upload.name,
                data=upload.read(spreadsheets.MAX_IMPORT_BYTES + 1),  # never more than one byte past the limit
                size=upload.size,
            )
        except services.ImportRefused as exc:
            too_large = isinstance(exc, PayloadTooLarge)
            code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE if too_large else status.HTTP_400_BAD_REQUEST
            return Response({"file": [exc.message], "errors": exc.errors}, status=code)
        return Response({"created": len(created), "codes": [r.code for r in created]}, status=status.HTTP_201_CREATED)


class RaidItemViewSet(_Crud):
    """The RAID log: risks (probability × impact), assumptions, issues, decisions.

    Internal items are hidden from client roles.
    """

    queryset = RaidItem.objects.all()
    select_related = ("project", "owner")
    serializer_class = s.RaidItemSerializer
    input_serializer_class = s.RaidItemInputSerializer
    update_serializer_class = s.RaidItemUpdateSerializer
    filterset_class = RaidItemFilterSet
    write_services = {
        "create": services.raid_item_create,
        "update": services.raid_item_update,
        "delete": services.raid_item_delete,
    }
    service_object = "item"
    ordering_fields = ["kind", "status", "due", "created_at", "probability", "impact"]


class RolloutWaveViewSet(_Crud):
    """The rollout plan: waves with dates and the companies / sites in each."""

    queryset = RolloutWave.objects.all()
    select_related = ("project",)
    serializer_class = s.RolloutWaveSerializer
    input_serializer_class = s.RolloutWaveInputSerializer
    update_serializer_class = s.RolloutWaveUpdateSerializer
    filterset_class = RolloutWaveFilterSet
    write_services = {
        "create": services.rollout_wave_create,
        "update": services.rollout_wave_update,
        "delete": services.rollout_wave_delete,
    }
    service_object = "wave"
    ordering_fields = ["sequence", "start_date", "golive_date"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sites")


class PlanDocumentViewSet(_Crud):
    """Documents attached to the plan (preparation requirements, test procedures...).

    Create with multipart form data; ``download`` answers the file as an attachment.
    """

    queryset = PlanDocument.objects.all()
    select_related = ("project", "uploaded_by")
    serializer_class = s.PlanDocumentSerializer
    input_serializer_class = s.PlanDocumentInputSerializer
    update_serializer_class = s.PlanDocumentUpdateSerializer
    filterset_class = PlanDocumentFilterSet
    write_services = {
        "create": services.plan_document_create,
        "update": services.plan_document_update,
        "delete": services.plan_document_delete,
    }
    service_object = "document"
    ordering_fields = ["kind", "title", "created_at", "size"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    capabilities = {**_Crud.capabilities, "download": C.VIEW}

    @extend_schema(responses=FILE_DOWNLOAD)
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None) -> FileResponse:
        return exports.plan_document_response(self.get_object())


class DiscoverySignoffViewSet(ReadOnlyScopedViewSet):
    """Discovery sign-offs: POST submits the deliverables; ``decide`` is the sponsor's (or PM's)."""

    queryset = DiscoverySignoff.objects.all()
    select_related = ("project", "approval", "approval__requested_by", "approval__decided_by", "approval__approver")
    serializer_class = s.DiscoverySignoffSerializer
    filterset_class = DiscoverySignoffFilterSet
    ordering_fields = ["created_at"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "decide": C.APPROVE}

    @extend_schema(request=s.DiscoverySignoffInputSerializer, responses={201: s.DiscoverySignoffSerializer})
    def create(self, request):
        serializer = s.DiscoverySignoffInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        signoff = services.discovery_signoff_request(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(signoff).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SignoffDecisionSerializer, responses={200: s.DiscoverySignoffSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        signoff = self.get_object()
        serializer = s.SignoffDecisionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        decided = services.discovery_signoff_decide(signoff=signoff, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(decided).data)
