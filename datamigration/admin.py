"""Admin (firm staff): definitions editable; uploads, runs and staged data read-only
(they are written by the services and the engine only)."""

from django.contrib import admin

from datamigration.models import FieldDefinition, MasterDataObject, MigrationRun, Upload


class FieldDefinitionInline(admin.TabularInline):
    model = FieldDefinition
    fk_name = "object"
    extra = 0
    fields = ["order", "name", "type", "required", "unique", "max_length", "min_value", "max_value", "regex"]


@admin.register(MasterDataObject)
class MasterDataObjectAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "project", "load_order", "builtin"]
    list_filter = ["builtin"]
    search_fields = ["name", "label", "project__code"]
    inlines = [FieldDefinitionInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "project", "object", "format", "encoding", "size", "created_at"]
    list_filter = ["format"]
    search_fields = ["original_name", "sha256", "project__code"]


@admin.register(MigrationRun)
class MigrationRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "project", "object", "mode", "cycle", "status", "total_rows", "error_rows", "created_at"]
    list_filter = ["status", "mode", "cycle"]
    search_fields = ["project__code", "object__name"]
