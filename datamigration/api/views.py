"""REST API of the datamigration app: objects, uploads, runs (202 + progress + cancel),
row errors (paginated, filtered, CSV/XLSX download) and staged records.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from datamigration import exports, selectors, services
from datamigration.api import serializers as s
from datamigration.filters import (
    MasterDataObjectFilterSet,
    MigrationRunFilterSet,
    RowErrorFilterSet,
    StagedRecordFilterSet,
    UploadFilterSet,
)
from datamigration.models import MasterDataObject, MigrationRun, StagedRecord, Upload
from erpimpl.schema import FILE_FORMAT, SPREADSHEET_DOWNLOAD, ErrorSerializer, FieldErrorsSerializer, project_parameter
from projects.api.base import ScopedViewSet, ServiceCreateMixin, ServiceUpdateMixin
from projects.roles import Capability

C = Capability
NO_SUCH_OBJECT = N_("Name a project and an object you can see.")


class CSVRenderer(renderers.BaseRenderer):
    """Lets ``Accept: text/csv`` through content negotiation; the response is ``exports``' own."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class XLSXRenderer(CSVRenderer):
    media_type = exports.CONTENT_TYPES["xlsx"]
    format = "xlsx"
    charset = None


DOWNLOAD_RENDERERS = [renderers.JSONRenderer, CSVRenderer, XLSXRenderer]


def _format(request) -> str:
    """The download asked for: ``?file_format=csv|xlsx``, else an ``Accept`` header naming one; "" for JSON."""
    fmt = request.query_params.get("file_format", "")
    if fmt in exports.FORMATS:
        return fmt
    renderer = getattr(request, "accepted_renderer", None)
    return renderer.format if renderer is not None and renderer.format in exports.FORMATS else ""


class MasterDataObjectViewSet(ServiceCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Master data objects of your projects with their fields and rules (built-ins included).
    POST defines a new object for a project (EDIT: consultants and PMs)."""

    queryset = MasterDataObject.objects.all()
    serializer_class = s.MasterDataObjectSerializer
    input_serializer_class = s.MasterDataObjectInputSerializer
    write_services = {"create": services.object_create}
    filterset_class = MasterDataObjectFilterSet
    ordering_fields = ["load_order", "name"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "template": C.VIEW, "fields": C.VIEW}

    @extend_schema(request=s.FieldDefinitionInputSerializer, responses={201: s.FieldDefinitionSerializer})
    @action(detail=True, methods=["post"])
    def fields(self, request, pk=None):
        """Add a field (with its rules) to an object (EDIT)."""
        obj = self.get_object()
        serializer = s.FieldDefinitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        target = data.pop("reference_object")
        if target:
            data["reference_object"] = selectors.object_by_name(project=obj.project, name=target)
            if data["reference_object"] is None:
                raise serializers.ValidationError({"reference_object": [f"No object {target!r} in this project."]})
        definition = services.field_create(object=obj, by=request.user, **data)
        return Response(s.FieldDefinitionSerializer(definition).data, status=status.HTTP_201_CREATED)

    def scoped_queryset(self):
        selectors.ensure_builtin_objects(user=self.request.user)
        return super().scoped_queryset().select_related("project").prefetch_related("fields__reference_object")

    @extend_schema(parameters=[FILE_FORMAT], responses=SPREADSHEET_DOWNLOAD)
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS)
    def template(self, request, pk=None):
        """The object's template: CSV (header + example) or XLSX (with a rules sheet)."""
        obj = self.get_object()
        return exports.template_download(obj, _format(request) or "csv")


class UploadViewSet(ServiceUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Uploaded files. POST multipart (project, object, file[, encoding, sheet, header_row]);
    PATCH ``mapping`` (column -> field) with the ``version`` you read; POST ``encoding/`` reads
    a CSV again in another encoding (``encoding_warning`` says when the declared one looks wrong)."""

    queryset = Upload.objects.all()
    select_related = ("project", "object", "uploaded_by")
    serializer_class = s.UploadSerializer
    update_serializer_class = s.UploadMappingSerializer
    write_services = {"update": services.upload_update_mapping}
    service_object = "upload"
    filterset_class = UploadFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["created_at", "original_name"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.UPLOAD_DATA, "encoding": C.UPLOAD_DATA}

    @extend_schema(request={"multipart/form-data": s.UploadInputSerializer}, responses={201: s.UploadSerializer})
    def create(self, request):
        serializer = s.UploadInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        project = data["project"]
        obj = selectors.object_by_name(project=project, name=data["object"])
        if obj is None:
            services.builtin_objects_ensure(project=project)
            obj = selectors.object_by_name(project=project, name=data["object"])
        if obj is None:
            raise serializers.ValidationError({"object": [f"No object {data['object']!r} in this project."]})
        upload = services.upload_create(
            project=project,
            object=obj,
            by=request.user,
            file=data["file"],
            original_name=data["file"].name,
            encoding=data["encoding"],
            sheet=data["sheet"],
            header_row=data["header_row"],
        )
        return Response(s.UploadSerializer(upload).data, status=status.HTTP_201_CREATED)

    def get_update_serializer(self, *args, **kwargs):
        kwargs["partial"] = False  # the whole mapping, every time
        return super().get_update_serializer(*args, **kwargs)

    @extend_schema(request=s.UploadEncodingSerializer, responses={200: s.UploadSerializer})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser, MultiPartParser])
    def encoding(self, request, pk=None):
        """Read a CSV upload again in another encoding (its headers, mapping and ``encoding_warning`` follow)."""
        upload = self.get_object()
        serializer = s.UploadEncodingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = services.upload_change_encoding(
            upload=upload, by=request.user, encoding=data["encoding"], version=data["version"]
        )
        return Response(s.UploadSerializer(upload, context=self.get_serializer_context()).data)


class MigrationRunViewSet(ServiceCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Validation and load runs. POST starts one (202, ``Location`` = its URL); GET shows
    status and progress; ``cancel`` stops it within seconds; ``errors`` lists row errors."""

    queryset = MigrationRun.objects.all()
    select_related = ("project", "object", "started_by")
    serializer_class = s.MigrationRunSerializer
    input_serializer_class = s.MigrationRunInputSerializer
    write_services = {"create": services.migration_run_start}
    filterset_class = MigrationRunFilterSet
    ordering_fields = ["created_at", "status", "cycle"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "cancel": C.VIEW, "errors": C.VIEW}

    @extend_schema(
        request=s.MigrationRunInputSerializer,
        responses={
            202: s.MigrationRunSerializer,
            409: OpenApiResponse(ErrorSerializer, "A load of this object is already under way (the message names it)."),
        },
    )
    def create(self, request):
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = self.perform_service_create(serializer.validated_data)
        url = reverse("datamigration-api:run-detail", args=[run.pk])
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED, headers={"Location": url})

    @extend_schema(request=None, responses={200: s.MigrationRunSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        run = services.migration_run_cancel(run=self.get_object(), by=request.user)
        return Response(s.MigrationRunSerializer(run).data)

    @extend_schema(
        parameters=[
            FILE_FORMAT,
            OpenApiParameter("field", str),
            OpenApiParameter("kind", str, enum=[k for k, _ in RowErrorFilterSet.base_filters["kind"].extra["choices"]]),
        ],
        responses={(200, "application/json"): s.RowErrorSerializer(many=True), **SPREADSHEET_DOWNLOAD},
        filters=False,  # ``field`` and ``kind`` above; no ordering
    )
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS, filterset_class=None)
    def errors(self, request, pk=None):
        """Row errors, filterable by ``field`` and ``kind``; ``?file_format=csv|xlsx`` downloads the
        faulty original rows with an ``errors`` column."""
        run = self.get_object()
        fmt = _format(request)
        if fmt:
            return exports.errors_download(run, fmt)
        errors = RowErrorFilterSet(request.query_params, queryset=selectors.row_error_list(run=run)).qs
        page = self.paginate_queryset(errors)
        return self.get_paginated_response(s.RowErrorSerializer(page, many=True).data)


class StagedRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Staged (loaded) records, ``?project=CODE&object=products``; ``export`` downloads an
    object's records in its template format (``?file_format=csv|xlsx``)."""

    queryset = StagedRecord.objects.all()
    select_related = ("project", "object")
    serializer_class = s.StagedRecordSerializer
    filterset_class = StagedRecordFilterSet
    ordering_fields = ["key", "updated_at"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW}

    @extend_schema(
        parameters=[
            project_parameter(),
            OpenApiParameter("object", str, required=True, description="Object name, e.g. products."),
            FILE_FORMAT,
        ],
        responses={
            **SPREADSHEET_DOWNLOAD,
            400: OpenApiResponse(FieldErrorsSerializer, "No ?project= or no ?object= given."),
            404: OpenApiResponse(ErrorSerializer, "No such object in a project you can see."),
        },
    )
    @action(detail=False, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS, filterset_class=None)
    def export(self, request):
        params = request.query_params
        missing = {name: [_("This field is required.")] for name in ("project", "object") if not params.get(name)}
        if missing:
            raise serializers.ValidationError(missing)
        obj = selectors.visible_object(user=request.user, project_code=params["project"], name=params["object"])
        if obj is None:
            return Response({"detail": _(NO_SUCH_OBJECT)}, status=status.HTTP_404_NOT_FOUND)
        return exports.records_download(obj, _format(request) or "csv")
