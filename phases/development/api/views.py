"""API of the development app: ``/api/v1/development/items|environments|releases/``."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from erpimpl.schema import ErrorSerializer
from phases.development import services
from phases.development.api import serializers as s
from phases.development.filters import DevelopmentItemFilterSet, EnvironmentFilterSet, ReleaseFilterSet
from phases.development.models import DevelopmentItem, Environment, Release
from projects.api.base import ServiceModelViewSet
from projects.roles import Capability

C = Capability

CONFLICT = OpenApiResponse(ErrorSerializer, "Stale version: the record changed since you read it.")


@extend_schema_view(
    list=extend_schema(summary="List development items (filter by project, status, type, assignee, environment, q)"),
    create=extend_schema(summary="Create a development item (code DEV-nnn is assigned)"),
)
class DevelopmentItemViewSet(ServiceModelViewSet):
    """Development items (RICEFW objects) of the projects you belong to.

    ``complexity`` and ``estimate_days`` are internal and appear only for the firm's roles.
    The status changes only through the ``transition`` action.
    """

    queryset = DevelopmentItem.objects.all()
    select_related = ("project", "assignee", "target_environment", "target_release", "current_environment")
    serializer_class = s.DevelopmentItemSerializer
    input_serializer_class = s.DevelopmentItemInputSerializer
    update_serializer_class = s.DevelopmentItemUpdateSerializer
    action_input_serializers = {"transition": s.TransitionSerializer}
    field_actions = {"status": "transition"}  # a PATCH naming status answers 400 pointing here
    filterset_class = DevelopmentItemFilterSet
    ordering_fields = ["number", "code", "title", "status", "type", "updated_at", "created_at"]
    ordering = ["project_id", "number"]
    capabilities = {
        "list": C.VIEW,
        "retrieve": C.VIEW,
        "partial_update": C.EDIT,
        "destroy": C.EDIT,
        "transition": C.EDIT,
    }

    write_services = {
        "create": services.development_item_create,
        "update": services.development_item_update,
        "delete": services.development_item_delete,
    }
    service_object = "item"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("requirements", "process_designs", "function_descriptions")

    @extend_schema(
        summary="Move the item to another status",
        description=(
            "Allowed moves: designed → in development | cancelled; in development → dev-tested | designed | "
            "cancelled; dev-tested → ready for test | in development | cancelled; ready for test → accepted | "
            "in development | cancelled; accepted → in development; cancelled → designed. Starting development "
            "needs an assignee. An illegal move answers 400 with a message naming the allowed next steps; a "
            "stale `version` answers 409."
        ),
        request=s.TransitionSerializer,
        responses={200: s.DevelopmentItemSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        item = self.get_object()
        serializer = s.TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        moved = services.development_item_transition(item=item, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(moved).data)


class EnvironmentViewSet(ServiceModelViewSet):
    """The system landscape of each project: DEV, TEST, UAT, PROD and others."""

    queryset = Environment.objects.all()
    select_related = ("project",)
    serializer_class = s.EnvironmentSerializer
    input_serializer_class = s.EnvironmentInputSerializer
    update_serializer_class = s.EnvironmentUpdateSerializer
    filterset_class = EnvironmentFilterSet
    ordering_fields = ["order", "name", "status", "last_refresh"]
    ordering = ["project_id", "order", "name"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "destroy": C.EDIT}
    write_services = {
        "create": services.environment_create,
        "update": services.environment_update,
        "delete": services.environment_delete,
    }
    service_object = "environment"


class ReleaseViewSet(ServiceModelViewSet):
    """Releases (transports) moving development items from one environment to the next."""

    queryset = Release.objects.all()
    select_related = ("project", "source_environment", "target_environment", "transported_by")
    serializer_class = s.ReleaseSerializer
    input_serializer_class = s.ReleaseInputSerializer
    update_serializer_class = s.ReleaseUpdateSerializer
    action_input_serializers = {"transport": s.TransportSerializer}
    filterset_class = ReleaseFilterSet
    ordering_fields = ["number", "planned_date", "transported_at", "status"]
    ordering = ["project_id", "-number"]
    capabilities = {
        "list": C.VIEW,
        "retrieve": C.VIEW,
        "partial_update": C.EDIT,
        "destroy": C.EDIT,
        "transport": C.EDIT,
    }

    write_services = {
        "create": services.release_create,
        "update": services.release_update,
        "delete": services.release_delete,
    }
    service_object = "release"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items")

    @extend_schema(
        summary="Record the transport: the items move to the target environment now, by you",
        description=(
            "Only a planned (or failed) release with items, all dev-tested or later, to an environment that is "
            "not unavailable or retired. A stale `version` answers 409."
        ),
        request=s.TransportSerializer,
        responses={200: s.ReleaseSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def transport(self, request, pk=None):
        release = self.get_object()
        serializer = s.TransportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = services.release_transport(release=release, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(done).data)
