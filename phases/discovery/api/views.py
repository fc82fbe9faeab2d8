"""Discovery API: one flat collection per resource under ``/api/v1/discovery/``.

Every queryset is scoped to the caller before filtering (another project's row answers
404); writes validate an input serializer and call a service, which checks the capability.
"""

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from phases.discovery import services
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
from projects.api.base import ScopedViewSet, ServiceModelViewSet
from projects.models import Project

from ..views import document_response, export_filename

C = services.C


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
    ordering_fields = ["name", "organisation", "influence", "interest", "created_at"]

    def perform_service_create(self, data):
        return services.stakeholder_create(by=self.request.user, **data)

    def perform_service_update(self, instance, version, data):
        return services.stakeholder_update(stakeholder=instance, by=self.request.user, version=version, **data)

    def perform_service_delete(self, instance):
        services.stakeholder_delete(stakeholder=instance, by=self.request.user)


class KickoffViewSet(_Crud):
    """Kick-off meetings with attendees, scope, expectations and the RACI matrix."""

    queryset = Kickoff.objects.all()
    select_related = ("project",)
    serializer_class = s.KickoffSerializer
    input_serializer_class = s.KickoffInputSerializer
    update_serializer_class = s.KickoffUpdateSerializer
    filterset_class = KickoffFilterSet
    ordering_fields = ["meeting_date", "created_at"]
    capabilities = {**_Crud.capabilities, "raci": C.EDIT}

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attendee_members", "attendee_stakeholders")

    def perform_service_create(self, data):
        return services.kickoff_create(by=self.request.user, **data)

    def perform_service_update(self, instance, version, data):
        return services.kickoff_update(kickoff=instance, by=self.request.user, version=version, **data)

    def perform_service_delete(self, instance):
        services.kickoff_delete(kickoff=instance, by=self.request.user)

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
    ordering_fields = ["business_area", "name", "created_at"]

    def perform_service_create(self, data):
        return services.current_process_create(by=self.request.user, **data)

    def perform_service_update(self, instance, version, data):
        return services.current_process_update(process=instance, by=self.request.user, version=version, **data)

    def perform_service_delete(self, instance):
        services.current_process_delete(process=instance, by=self.request.user)


class ProjectQuerySerializer(serializers.Serializer):
    project = serializers.CharField()


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
    ordering_fields = ["code", "priority", "status", "business_area", "created_at", "updated_at"]
    capabilities = {**_Crud.capabilities, "export": C.VIEW, "import_file": C.EDIT}
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("processes")

    def perform_service_create(self, data):
        return services.requirement_create(by=self.request.user, **data)

    def perform_service_update(self, instance, version, data):
        return services.requirement_update(requirement=instance, by=self.request.user, version=version, **data)

    def perform_service_delete(self, instance):
        services.requirement_delete(requirement=instance, by=self.request.user)

    def _project_param(self, value):
        if not value:
            raise serializers.ValidationError({"project": ["This field is required."]})
        return get_object_or_404(Project.objects.visible_to(self.request.user), code=value)

    @extend_schema(
        parameters=[
            OpenApiParameter("file_format", str, enum=["csv", "xlsx"], description="csv (default) or xlsx"),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The requirements of ``?project=CODE`` (with the list's filters) as CSV or XLSX."""
        project = self._project_param(request.query_params.get("project"))
        fmt = "xlsx" if request.query_params.get("file_format") == "xlsx" else "csv"
        rows = self.filter_queryset(self.get_queryset()).filter(project=project).order_by("code")
        data = services.requirement_export(project=project, by=request.user, requirements=rows, fmt=fmt)
        return export_filename(HttpResponse(data, content_type=services_content_type(fmt)), project, fmt)

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
                project=serializer.validated_data["project"], by=request.user, filename=upload.name, data=upload.read()
            )
        except services.ImportRefused as exc:
            return Response({"file": [exc.message], "errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"created": len(created), "codes": [r.code for r in created]}, status=status.HTTP_201_CREATED)


def services_content_type(fmt: str) -> str:
    if fmt == "xlsx":
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "text/csv; charset=utf-8"


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
    ordering_fields = ["kind", "status", "due", "created_at", "probability", "impact"]

    def perform_service_create(self, data):
        return services.raid_item_create(by=self.request.user, **data)

    def perform_service_update(self, instance, version, data):
        return services.raid_item_update(item=instance, by=self.request.user, version=version, **data)

    def perform_service_delete(self, instance):
        services.raid_item_delete(item=instance, by=self.request.user)


class RolloutWaveViewSet(_Crud):
    """The rollout plan: waves with dates and the companies / sites in each."""

    queryset = RolloutWave.objects.all()
    select_related = ("project",)
    serializer_class = s.RolloutWaveSerializer
    input_serializer_class = s.RolloutWaveInputSerializer
    update_serializer_class = s.RolloutWaveUpdateSerializer
    filterset_class = RolloutWaveFilterSet
    ordering_fields = ["sequence", "start_date", "golive_date"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sites")

    def perform_service_create(self, data):
        return services.rollout_wave_create(by=self.request.user, **data)

    def perform_service_update(self, instance, version, data):
        return services.rollout_wave_update(wave=instance, by=self.request.user, version=version, **data)

    def perform_service_delete(self, instance):
        services.rollout_wave_delete(wave=instance, by=self.request.user)


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
    ordering_fields = ["kind", "title", "created_at", "size"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    capabilities = {**_Crud.capabilities, "download": C.VIEW}

    def perform_service_create(self, data):
        return services.plan_document_create(by=self.request.user, **data)

    def perform_service_update(self, instance, version, data):
        return services.plan_document_update(document=instance, by=self.request.user, version=version, **data)

    def perform_service_delete(self, instance):
        services.plan_document_delete(document=instance, by=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None) -> FileResponse:
        return document_response(self.get_object())


class DiscoverySignoffViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
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
        serializer = s.SignoffDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = services.discovery_signoff_decide(signoff=signoff, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(decided).data)
