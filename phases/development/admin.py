from django.contrib import admin

from phases.development.models import DevelopmentItem, Environment, Release


@admin.register(DevelopmentItem)
class DevelopmentItemAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "project", "type", "status", "assignee", "target_environment"]
    list_filter = ["type", "status"]
    search_fields = ["code", "title", "external_system"]
    readonly_fields = ["number", "code", "status", "status_changed_at", "version"]


@admin.register(Environment)
class EnvironmentAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "kind", "order", "software_version", "status", "last_refresh"]
    list_filter = ["kind", "status"]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "project", "source_environment", "target_environment", "status", "transported_at"]
    list_filter = ["status"]
    readonly_fields = ["number", "code", "status", "transported_at", "transported_by", "version"]
