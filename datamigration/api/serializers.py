from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from datamigration import readers, selectors
from datamigration.models import (
    MAX_RUN_WORKERS,
    FieldDefinition,
    MasterDataObject,
    MigrationRun,
    RowError,
    StagedRecord,
    Upload,
)
from projects.api.base import VersionField, enum_field, project_field, scoped_pk


class FieldDefinitionSerializer(serializers.ModelSerializer):
    reference_object = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = FieldDefinition
        fields = [
            "name",
            "label",
            "description",
            "type",
            "required",
            "unique",
            "max_length",
            "min_value",
            "max_value",
            "regex",
            "choices",
            "check_digit",
            "reference_object",
            "reference_field",
            "example",
            "order",
        ]


class MasterDataObjectSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fields = FieldDefinitionSerializer(many=True, read_only=True)
    record_count = serializers.SerializerMethodField()

    class Meta:
        model = MasterDataObject
        fields = [
            "id",
            "project",
            "name",
            "label",
            "description",
            "key_field",
            "builtin",
            "load_order",
            "fields",
            "record_count",
        ]

    def get_record_count(self, obj) -> int:
        return StagedRecord.objects.filter(project_id=obj.project_id, object_id=obj.pk).count()


class UploadSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    object = serializers.SlugRelatedField(slug_field="name", read_only=True)
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    encoding_warning = serializers.CharField(
        read_only=True,
        help_text="Set when the file reads differently in the encoding it was declared in than in the one its "
        "content looks like (detected_encoding): change the encoding (POST encoding/) unless you are sure.",
    )

    class Meta:
        model = Upload
        fields = [
            "id",
            "project",
            "object",
            "original_name",
            "size",
            "sha256",
            "format",
            "encoding",
            "detected_encoding",
            "encoding_warning",
            "delimiter",
            "sheet",
            "header_row",
            "headers",
            "mapping",
            "row_estimate",
            "uploaded_by",
            "created_at",
            "version",
        ]


class UploadInputSerializer(serializers.Serializer):
    project = project_field()
    object = serializers.SlugField(help_text="Object name, e.g. products.")
    file = serializers.FileField(allow_empty_file=True)
    encoding = serializers.CharField(required=False, allow_blank=True, default="")
    sheet = serializers.CharField(required=False, allow_blank=True, default="")
    header_row = serializers.IntegerField(required=False, default=1, min_value=1, max_value=1000)


class UploadEncodingSerializer(serializers.Serializer):
    encoding = enum_field(
        [(name, name) for name in readers.SUPPORTED_ENCODINGS],
        "UploadEncodingEnum",
        blank=True,
        help_text="Read the CSV file again in this encoding (empty: detect it). Its headers and mapping follow.",
    )
    version = VersionField()


class UploadMappingSerializer(serializers.Serializer):
    mapping = serializers.DictField(child=serializers.CharField(allow_blank=True))
    version = VersionField()


class WorkerChunksSerializer(serializers.Serializer):
    worker = serializers.CharField()
    chunks = serializers.IntegerField()
    rows = serializers.IntegerField()


class RunChunkSummarySerializer(serializers.Serializer):
    total = serializers.IntegerField(allow_null=True, help_text="Chunks in the file; null while it is being split.")
    split = serializers.IntegerField()
    committed = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    committed_percent = serializers.IntegerField()
    in_progress_percent = serializers.IntegerField()
    by_worker = WorkerChunksSerializer(many=True)


class MigrationRunSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    object = serializers.SlugRelatedField(slug_field="name", read_only=True)
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    seconds_left = serializers.IntegerField(read_only=True, allow_null=True)
    errors_url = serializers.SerializerMethodField()
    chunks = serializers.SerializerMethodField(
        help_text="Runs split across workers: chunks split, committed and in progress, and who committed them."
    )

    class Meta:
        model = MigrationRun
        fields = [
            "id",
            "project",
            "object",
            "upload",
            "mode",
            "cycle",
            "status",
            "total_rows",
            "processed_rows",
            "valid_rows",
            "error_rows",
            "error_count",
            "inserted_rows",
            "updated_rows",
            "unchanged_rows",
            "loaded_checksum",
            "rows_per_second",
            "workers",
            "chunk_total",
            "chunks",
            "percent",
            "seconds_left",
            "started_at",
            "finished_at",
            "started_by",
            "cancel_requested",
            "deliveries",
            "takeovers",
            "last_takeover",
            "message",
            "created_at",
            "errors_url",
        ]

    def get_errors_url(self, run) -> str:
        return reverse("datamigration-api:run-errors", args=[run.pk])

    @extend_schema_field(RunChunkSummarySerializer(allow_null=True))
    def get_chunks(self, run) -> dict | None:
        return selectors.run_chunk_summary(run)


class MigrationRunInputSerializer(serializers.Serializer):
    upload = scoped_pk(Upload)
    mode = serializers.ChoiceField(choices=MigrationRun.Mode.choices, default=MigrationRun.Mode.VALIDATE)
    cycle = serializers.RegexField(r"^(mock[1-9][0-9]?|final)$", default="mock1", max_length=32)
    workers = serializers.IntegerField(
        min_value=1,
        max_value=MAX_RUN_WORKERS,
        required=False,
        help_text="How many workers may process the file's chunks at once (default DATAMIGRATION_RUN_WORKERS; "
        "PostgreSQL only, 1 elsewhere).",
    )


class RowErrorSerializer(serializers.ModelSerializer):
    class Meta:
        model = RowError
        fields = ["row", "field", "kind", "message", "value"]


class StagedRecordSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    object = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = StagedRecord
        fields = ["id", "project", "object", "key", "data", "checksum", "last_run", "updated_at"]


class MasterDataObjectInputSerializer(serializers.Serializer):
    project = project_field()
    name = serializers.SlugField(max_length=64)
    label = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    key_field = serializers.SlugField(max_length=64, default="code")


class FieldDefinitionInputSerializer(serializers.Serializer):
    name = serializers.SlugField(max_length=64)
    label = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    type = serializers.ChoiceField(choices=FieldDefinition.Type.choices, default=FieldDefinition.Type.STR)
    required = serializers.BooleanField(default=False)
    max_length = serializers.IntegerField(required=False, allow_null=True, min_value=1, default=None)
    min_value = serializers.DecimalField(30, 6, required=False, allow_null=True, default=None)
    max_value = serializers.DecimalField(30, 6, required=False, allow_null=True, default=None)
    regex = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    choices = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    check_digit = serializers.ChoiceField(choices=FieldDefinition.Check.choices, required=False, default="")
    reference_object = serializers.SlugField(required=False, allow_blank=True, default="")
    reference_field = serializers.SlugField(required=False, default="code")
    example = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    def validate_regex(self, value):
        import re

        try:
            re.compile(value)
        except re.error as exc:
            raise serializers.ValidationError(f"Not a valid regular expression: {exc}") from None
        return value
