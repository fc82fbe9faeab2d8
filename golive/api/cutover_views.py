"""The cutover runbook API: the runbook by project, plan tasks, runs and their tasks' moves.

Every queryset is scoped to the caller; every write is a service, which checks the
capability itself (the ``capabilities`` table only answers 403/404 before it).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from golive import services
from golive.api import cutover_serializers as s
from golive.filters.cutover import CutoverRunFilterSet, CutoverRunTaskFilterSet, CutoverTaskFilterSet
from golive.models import CutoverRun, CutoverRunTask, CutoverTask, Runbook
from golive.selectors import cutover as selectors
from projects.api.base import ReadOnlyScopedViewSet, ServiceModelViewSet, ServiceUpdateMixin
from projects.models import Project
from projects.roles import Capability

C = Capability


class RunbookViewSet(ServiceUpdateMixin, ReadOnlyScopedViewSet):
    """The runbook of a project, addressed by the project's code (created on first use)."""

    queryset = Runbook.objects.all()
    serializer_class = s.RunbookSerializer
    update_serializer_class = s.RunbookUpdateSerializer
    lookup_field = "project__code"
    lookup_url_kwarg = "project"
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT}
    http_method_names = ["get", "patch", "head", "options"]
    write_services = {"update": services.runbook_update}
    service_object = "runbook"

    def get_queryset(self):
        return Runbook.objects.visible_to(self.request.user).select_related("project")

    def get_object(self):
        project = get_object_or_404(Project.objects.visible_to(self.request.user), code=self.kwargs["project"])
        runbook = services.runbook_get_or_create(project)
        self.check_object_permissions(self.request, runbook)
        return runbook


class CutoverTaskViewSet(ServiceModelViewSet):
    """Plan tasks: ``CT-001``…, predecessors within the runbook and never in a loop."""

    queryset = CutoverTask.objects.all()
    serializer_class = s.CutoverTaskSerializer
    input_serializer_class = s.CutoverTaskInputSerializer
    update_serializer_class = s.CutoverTaskUpdateSerializer
    filterset_class = CutoverTaskFilterSet
    ordering_fields = ["number", "code", "stream", "planned_minutes"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "destroy": C.EDIT,
                    "duration_from_load": C.EDIT}  # fmt: skip
    write_services = {
        "create": services.cutover_task_create,
        "update": services.cutover_task_update,
        "delete": services.cutover_task_delete,
    }
    service_object = "task"

    def get_queryset(self):
        return selectors.cutover_task_list(user=self.request.user)

    @extend_schema(request=None, responses={200: s.CutoverTaskSerializer})
    @action(detail=True, methods=["post"], url_path="duration-from-load")
    def duration_from_load(self, request, pk=None):
        """Planned minutes from the last successful mock load of the task's master data object."""
        task = services.task_duration_from_mock_load(task=self.get_object(), by=request.user)
        return Response(
            self.get_serializer(selectors.cutover_task_get(user=request.user, project=None, pk=task.pk)).data
        )


class CutoverRunViewSet(ReadOnlyScopedViewSet):
    """Runs of the runbook: POST starts one (rehearsal or live); re-baseline, cancel, and take
    a completed rehearsal's durations into the plan."""

    queryset = CutoverRun.objects.all()
    serializer_class = s.CutoverRunSerializer
    filterset_class = CutoverRunFilterSet
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "rebaseline": C.RUN_JOBS, "cancel": C.RUN_JOBS,
                    "apply_durations": C.EDIT}  # fmt: skip

    def get_queryset(self):
        return selectors.run_list(user=self.request.user)

    @extend_schema(request=s.CutoverRunStartSerializer, responses={201: s.CutoverRunSerializer})
    def create(self, request):
        data = s.CutoverRunStartSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        runbook = services.runbook_get_or_create(data.validated_data["project"])
        run = services.cutover_run_start(
            runbook=runbook, by=request.user, kind=data.validated_data["kind"],
            baseline_start=data.validated_data.get("baseline_start"),
        )  # fmt: skip
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.CutoverRunSerializer})
    @action(detail=True, methods=["post"])
    def rebaseline(self, request, pk=None):
        """Planned times of the tasks not yet done recomputed from now."""
        run = self.get_object()
        services.cutover_run_rebaseline(run=run, by=request.user)
        return Response(self.get_serializer(run).data)

    @extend_schema(request=None, responses={200: s.CutoverRunSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        run = services.cutover_run_cancel(run=self.get_object(), by=request.user)
        return Response(self.get_serializer(run).data)

    @extend_schema(request=None, responses={200: s.RehearsalSerializer})
    @action(detail=True, methods=["post"], url_path="apply-durations")
    def apply_durations(self, request, pk=None):
        """The actual durations of this completed rehearsal written onto the plan's tasks."""
        run = self.get_object()
        changed = services.apply_rehearsal_durations(runbook=run.runbook, run=run, by=request.user)
        return Response({"changed": changed})


class CutoverRunTaskViewSet(ReadOnlyScopedViewSet):
    """The tasks of runs with their state; owners start and finish theirs, the cutover manager skips."""

    queryset = CutoverRunTask.objects.all()
    serializer_class = s.CutoverRunTaskSerializer
    filterset_class = CutoverRunTaskFilterSet
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "start": C.PARTICIPATE, "finish": C.PARTICIPATE,
                    "skip": C.PARTICIPATE}  # fmt: skip

    def get_queryset(self):
        return selectors.run_task_list(user=self.request.user)

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def _answer(self, task):
        return Response(self.get_serializer(task).data)

    @extend_schema(request=s.RunTaskMoveSerializer, responses={200: s.CutoverRunTaskSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        task = self.get_object()  # another project's task is a 404 before its body is read
        data = self._body(s.RunTaskMoveSerializer)
        return self._answer(services.cutover_run_task_start(task=task, by=request.user, **data))

    @extend_schema(request=s.RunTaskFinishSerializer, responses={200: s.CutoverRunTaskSerializer})
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        """Complete the task; ``passed`` false fails it (a validation or checkpoint must give it)."""
        task = self.get_object()  # another project's task is a 404 before its body is read
        data = self._body(s.RunTaskFinishSerializer)
        return self._answer(services.cutover_run_task_finish(task=task, by=request.user, **data))

    @extend_schema(request=s.RunTaskSkipSerializer, responses={200: s.CutoverRunTaskSerializer})
    @action(detail=True, methods=["post"])
    def skip(self, request, pk=None):
        task = self.get_object()  # another project's task is a 404 before its body is read
        data = self._body(s.RunTaskSkipSerializer)
        return self._answer(services.cutover_run_task_skip(task=task, by=request.user, **data))
