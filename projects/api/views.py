from auditlog.models import LogEntry
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from projects import selectors, services
from projects.api import serializers as s
from projects.api.base import ReadOnlyScopedViewSet, ScopedViewSet, ServiceModelViewSet, ServiceUpdateMixin
from projects.filters import (
    ApprovalFilterSet,
    MembershipFilterSet,
    MilestoneFilterSet,
    PhaseFilterSet,
    ProjectFilterSet,
    TaskFilterSet,
)
from projects.models import Approval, Membership, MethodologyTemplate, Milestone, Phase, Project, Task
from projects.roles import Capability

C = Capability


def _phase_in(project, data: dict) -> dict:
    """Turn ``phase`` (a kind) into that project's Phase row."""
    if data.get("phase"):
        data["phase"] = project.phases.get(kind=data["phase"])
    return data


class ProjectViewSet(ServiceModelViewSet):
    """Projects you belong to. Creating one needs the firm's consultant permission."""

    queryset = Project.objects.all()
    lookup_field = "code"
    serializer_class = s.ProjectSerializer
    input_serializer_class = s.ProjectCreateSerializer
    update_serializer_class = s.ProjectUpdateSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["code", "name", "planned_golive", "status", "created_at"]
    action_input_serializers = {"save_as_template": s.SaveAsTemplateSerializer}
    capabilities = {
        "list": C.VIEW,
        "retrieve": C.VIEW,
        "partial_update": C.MANAGE,
        "destroy": C.MANAGE,
        "save_as_template": C.EDIT,
    }

    write_services = {
        "create": services.project_create,
        "update": services.project_update,
        "delete": services.project_delete,
    }
    service_object = "project"

    @extend_schema(request=s.SaveAsTemplateSerializer, responses={201: s.TemplateSerializer})
    @action(detail=True, methods=["post"], url_path="save-as-template")
    def save_as_template(self, request, code=None):
        project = self.get_object()
        serializer = s.SaveAsTemplateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = services.template_create_from_project(project=project, by=request.user, **serializer.validated_data)
        return Response(s.TemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class TemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Methodology templates (not project data: every signed-in user may read them)."""

    queryset = MethodologyTemplate.objects.all()
    serializer_class = s.TemplateSerializer
    ordering_fields = ["name", "created_at"]
    permission_classes = [IsAuthenticated]  # global rows: no project to ask the role table about

    def scoped_queryset(self):
        services.template_get_builtin()
        return MethodologyTemplate.objects.all()


class MembershipViewSet(ServiceModelViewSet):
    queryset = Membership.objects.all()
    select_related = ("project", "user")
    serializer_class = s.MembershipSerializer
    input_serializer_class = s.MembershipInputSerializer
    update_serializer_class = s.MembershipUpdateSerializer
    filterset_class = MembershipFilterSet
    ordering_fields = ["role", "created_at"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.MANAGE, "destroy": C.MANAGE}

    write_services = {
        "create": services.membership_create,
        "update": services.membership_update,
        "delete": services.membership_delete,
    }
    service_object = "membership"


class PhaseViewSet(ServiceUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The six phases of each project: read, edit dates and status, request the gate sign-off."""

    queryset = Phase.objects.all()
    select_related = ("project", "gate_approval")
    serializer_class = s.PhaseSerializer
    update_serializer_class = s.PhaseUpdateSerializer
    input_serializer_class = s.PhaseUpdateSerializer
    action_input_serializers = {"request_gate": s.GateRequestSerializer}
    filterset_class = PhaseFilterSet
    ordering_fields = ["order", "planned_start", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "request_gate": C.EDIT}

    write_services = {"update": services.phase_update}
    service_object = "phase"

    @extend_schema(request=s.GateRequestSerializer, responses={201: s.ApprovalSerializer})
    @action(detail=True, methods=["post"], url_path="request-gate")
    def request_gate(self, request, pk=None):
        phase = self.get_object()
        serializer = s.GateRequestSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        approval = services.phase_request_gate(phase=phase, by=request.user, **serializer.validated_data)
        return Response(s.ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)


class MilestoneViewSet(ServiceModelViewSet):
    queryset = Milestone.objects.all()
    select_related = ("project", "phase")
    serializer_class = s.MilestoneSerializer
    input_serializer_class = s.MilestoneInputSerializer
    update_serializer_class = s.MilestoneUpdateSerializer
    filterset_class = MilestoneFilterSet
    ordering_fields = ["due_date", "title"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "destroy": C.EDIT}

    def perform_service_create(self, data):
        project = data.pop("project")
        return services.milestone_create(project=project, by=self.request.user, **_phase_in(project, data))

    def perform_service_update(self, instance, version, data):
        return services.milestone_update(
            milestone=instance, by=self.request.user, version=version, **_phase_in(instance.project, data)
        )

    write_services = {"delete": services.milestone_delete}
    service_object = "milestone"


class TaskViewSet(ServiceModelViewSet):
    """Plan tasks. ``depends_on`` lists task ids of the same project."""

    queryset = Task.objects.all()
    select_related = ("project", "phase", "owner")
    serializer_class = s.TaskSerializer
    input_serializer_class = s.TaskInputSerializer
    update_serializer_class = s.TaskUpdateSerializer
    filterset_class = TaskFilterSet
    ordering_fields = ["start", "due", "progress", "status", "order", "title"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "destroy": C.EDIT}

    def perform_service_create(self, data):
        project = data.pop("project")
        return services.task_create(project=project, by=self.request.user, **_phase_in(project, data))

    def perform_service_update(self, instance, version, data):
        return services.task_update(
            task=instance, by=self.request.user, version=version, **_phase_in(instance.project, data)
        )

    write_services = {"delete": services.task_delete}
    service_object = "task"


class ApprovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Sign-off requests. ``decide`` approves or rejects (PM or sponsor; the named approver)."""

    queryset = Approval.objects.all()
    select_related = ("project", "requested_by", "approver", "decided_by", "content_type")
    serializer_class = s.ApprovalSerializer
    input_serializer_class = s.ApprovalInputSerializer
    action_input_serializers = {"decide": s.ApprovalDecisionSerializer}
    filterset_class = ApprovalFilterSet
    ordering_fields = ["created_at", "decided_at", "decision"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "decide": C.APPROVE}

    def create(self, request):
        serializer = s.ApprovalInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        approval = services.approval_request(by=request.user, **serializer.validated_data)
        return Response(s.ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ApprovalDecisionSerializer, responses={200: s.ApprovalSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        approval = self.get_object()
        serializer = s.ApprovalDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = services.approval_decide(approval=approval, by=request.user, **serializer.validated_data)
        return Response(s.ApprovalSerializer(decided).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("project", str, description="Project code."),
            OpenApiParameter("object_type", str, description="app_label.model, e.g. projects.task."),
            OpenApiParameter("object_id", str, description="The object's id (with object_type)."),
        ]
    )
)
class AuditLogViewSet(ReadOnlyScopedViewSet):
    """The audit trail: who changed what, when, with old and new values.

    Filter with ``?project=CODE``, ``?object_type=projects.task`` and ``?object_id=``.
    """

    serializer_class = s.AuditEntrySerializer
    permission_classes = [IsAuthenticated]  # entries are scoped by project and internal flag below
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no user, no database
            return LogEntry.objects.none()
        qs = selectors.audit_entries(user=self.request.user)
        params = self.request.query_params
        if params.get("project"):
            qs = qs.filter(entry_project_id__in=Project.objects.filter(code=params["project"]).values("pk"))
        if params.get("object_type") and "." in params["object_type"]:
            app_label, model = params["object_type"].lower().split(".", 1)
            qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
        if params.get("object_id"):
            qs = qs.filter(object_pk=params["object_id"])
        return qs
