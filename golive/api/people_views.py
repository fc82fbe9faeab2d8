"""The support plan, training and user guide API: scoped reads, every write through
``golive.services.people`` (which checks the role and the rules whatever the door).

The support plan is addressed by its project's code (``/support-plans/<code>/``): there is
one per project, created empty the first time a member reads it.
"""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from erpimpl.schema import FILE_DOWNLOAD
from golive.api import people_serializers as s
from golive.filters.people import (
    AttendanceFilterSet,
    EscalationFilterSet,
    SupportTeamFilterSet,
    TrainingSessionFilterSet,
    UserGuideFilterSet,
)
from golive.models import Attendance, EscalationLevel, SupportPlan, SupportTeam, TrainingSession, UserGuide
from golive.selectors import people as selectors
from golive.services import people as services
from projects.api.base import ScopedViewSet, ServiceModelViewSet, ServiceUpdateMixin
from projects.files import attachment_response
from projects.roles import Capability as C
from projects.selectors import project_get


class SupportPlanViewSet(ServiceUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The project's support plan: hypercare, procedure, working hours, and its sponsor sign-off."""

    queryset = SupportPlan.objects.all()
    serializer_class = s.SupportPlanSerializer
    update_serializer_class = s.SupportPlanUpdateSerializer
    lookup_field = "project__code"
    lookup_url_kwarg = "project"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "request_approval": C.EDIT}
    write_services = {"update": services.support_plan_update}
    service_object = "plan"

    def get_queryset(self):
        return selectors.support_plan_list(user=self.request.user)

    def get_object(self):
        project = project_get(user=self.request.user, code=self.kwargs["project"])
        plan = selectors.support_plan_of(user=self.request.user, project=project)
        if plan is None:
            services.support_plan_get_or_create(project)
            plan = selectors.support_plan_of(user=self.request.user, project=project)
        self.check_object_permissions(self.request, plan)
        return plan

    @extend_schema(request=s.ApprovalRequestSerializer, responses={201: s.SupportPlanSerializer})
    @action(detail=True, methods=["post"], url_path="request-approval")
    def request_approval(self, request, project=None):
        """Ask the sponsor (or any approver but you) to sign the plan off."""
        plan = self.get_object()
        data = s.ApprovalRequestSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        services.support_plan_request_approval(plan=plan, by=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_object()).data, status=status.HTTP_201_CREATED)


class UnversionedUpdateMixin(ServiceUpdateMixin):
    """PATCH of a row without ``version`` (a team, an escalation contact): last write wins."""

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_update_serializer(data=request.data, partial=True)
        self.refuse_fields_not_taken(request, serializer)
        serializer.is_valid(raise_exception=True)
        updated = self._service("update")(
            **{self.service_object: instance}, by=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(updated).data)


class PlanChildCreateMixin:
    """A team or escalation row is created on the plan of the project the request names."""

    def perform_service_create(self, data):
        project = data.pop("project")
        with transaction.atomic():
            plan = services.support_plan_get_or_create(project)
            return self._service("create")(plan=plan, by=self.request.user, **data)


class SupportTeamViewSet(PlanChildCreateMixin, UnversionedUpdateMixin, ServiceModelViewSet):
    """Support teams of the plan (members must belong to the project)."""

    queryset = SupportTeam.objects.all()
    serializer_class = s.SupportTeamSerializer
    input_serializer_class = s.SupportTeamInputSerializer
    update_serializer_class = s.SupportTeamUpdateSerializer
    filterset_class = SupportTeamFilterSet
    ordering_fields = ["name"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "destroy": C.EDIT}
    write_services = {"create": services.team_create, "update": services.team_update, "delete": services.team_delete}
    service_object = "team"

    def get_queryset(self):
        return selectors.team_list(user=self.request.user)


class EscalationLevelViewSet(PlanChildCreateMixin, UnversionedUpdateMixin, ServiceModelViewSet):
    """Escalation contacts: one per level (L1, L2, L3)."""

    queryset = EscalationLevel.objects.all()
    serializer_class = s.EscalationSerializer
    input_serializer_class = s.EscalationInputSerializer
    update_serializer_class = s.EscalationUpdateSerializer
    filterset_class = EscalationFilterSet
    ordering_fields = ["level"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "destroy": C.EDIT}
    write_services = {
        "create": services.escalation_create,
        "update": services.escalation_update,
        "delete": services.escalation_delete,
    }
    service_object = "escalation"

    def get_queryset(self):
        return selectors.escalation_list(user=self.request.user)


class TrainingSessionViewSet(ServiceModelViewSet):
    """Training sessions; ``invite`` adds one attendance row per person invited."""

    queryset = TrainingSession.objects.all()
    serializer_class = s.TrainingSessionSerializer
    input_serializer_class = s.TrainingSessionInputSerializer
    update_serializer_class = s.TrainingSessionUpdateSerializer
    filterset_class = TrainingSessionFilterSet
    ordering_fields = ["starts_at", "topic"]
    capabilities = {
        "list": C.VIEW,
        "retrieve": C.VIEW,
        "partial_update": C.EDIT,
        "destroy": C.EDIT,
        "invite": C.EDIT,
    }
    write_services = {
        "create": services.session_create,
        "update": services.session_update,
        "delete": services.session_delete,
    }
    service_object = "session"

    def get_queryset(self):
        return selectors.session_list(user=self.request.user)

    @extend_schema(request=s.InviteSerializer, responses={200: s.InviteResultSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        """Invite people or roles (by default the session's audience roles)."""
        session = self.get_object()
        data = s.InviteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        count = services.invite(
            session=session,
            by=request.user,
            users=data.validated_data.get("users"),
            roles=data.validated_data.get("roles"),
        )
        return Response({"invited": count})


class AttendanceViewSet(UnversionedUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Who was invited to which session, and whether they came (an editor or the trainer records it)."""

    queryset = Attendance.objects.all()
    serializer_class = s.AttendanceSerializer
    update_serializer_class = s.AttendanceUpdateSerializer
    filterset_class = AttendanceFilterSet
    http_method_names = ["get", "patch", "head", "options"]
    # The service decides who records attendance: an editor, or the session's trainer.
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.VIEW}

    def get_queryset(self):
        return selectors.attendance_list(user=self.request.user)

    def partial_update(self, request, *args, **kwargs):
        row = self.get_object()
        serializer = self.get_update_serializer(data=request.data, partial=False)
        self.refuse_fields_not_taken(request, serializer)
        serializer.is_valid(raise_exception=True)
        updated = services.attendance_record(
            session=row.session, user=row.user, status=serializer.validated_data["status"], by=request.user
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=updated.pk)).data)


class UserGuideViewSet(ServiceModelViewSet):
    """User guides with numbered file versions; client roles see published guides only."""

    queryset = UserGuide.objects.all()
    serializer_class = s.UserGuideSerializer
    input_serializer_class = s.UserGuideInputSerializer
    update_serializer_class = s.UserGuideUpdateSerializer
    filterset_class = UserGuideFilterSet
    ordering_fields = ["title", "updated_at"]
    field_actions = {"published": "publish"}
    capabilities = {
        "list": C.VIEW,
        "retrieve": C.VIEW,
        "partial_update": C.EDIT,
        "destroy": C.EDIT,
        "publish": C.EDIT,
        "unpublish": C.EDIT,
        "versions": C.EDIT,
        "download": C.VIEW,
    }
    write_services = {"create": services.guide_create, "update": services.guide_update, "delete": services.guide_delete}
    service_object = "guide"

    def get_queryset(self):
        return selectors.guide_list(user=self.request.user).prefetch_related("versions__uploaded_by")

    def _fresh(self, guide):
        return Response(self.get_serializer(self.get_queryset().get(pk=guide.pk)).data)

    @extend_schema(request=None, responses={200: s.UserGuideSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the guide for the client (it needs a file)."""
        return self._fresh(services.guide_publish(guide=self.get_object(), by=request.user))

    @extend_schema(request=None, responses={200: s.UserGuideSerializer})
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """Take the guide back from the client."""
        return self._fresh(services.guide_unpublish(guide=self.get_object(), by=request.user))

    @extend_schema(request={"multipart/form-data": s.GuideUploadSerializer}, responses={201: s.GuideVersionSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def versions(self, request, pk=None):
        """Upload a new version (pdf, docx, pptx, xlsx, png, jpg); numbered 1, 2, 3…"""
        guide = self.get_object()
        data = s.GuideUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.guide_version_add(guide=guide, by=request.user, **data.validated_data)
        return Response(s.GuideVersionSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("number", int, description="A version number; the latest when omitted.")],
        responses=FILE_DOWNLOAD,
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The guide's file (the latest version, or ``?number=``)."""
        guide = self.get_object()
        versions = guide.versions.all()
        number = request.query_params.get("number")
        if number is not None:
            if not number.isdigit():
                raise serializers.ValidationError({"number": ["Give a version number."]})
            versions = versions.filter(number=int(number))
        row = versions.order_by("-number").first()
        if row is None:
            from django.http import Http404

            raise Http404
        return attachment_response(row.file, filename=row.original_name, content_type=row.content_type)
