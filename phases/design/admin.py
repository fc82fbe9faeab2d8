"""Django admin (firm staff only) for the design models: read and search; writes belong to the services."""

from django.contrib import admin

from phases.design.models import (
    FunctionDescription,
    ProcessDesign,
    ProcessDesignVersion,
    ProcessStep,
    TechnicalRequirement,
)


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0


@admin.register(ProcessDesign)
class ProcessDesignAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "project", "business_area", "revision", "updated_at"]
    list_filter = ["business_area"]
    search_fields = ["code", "name", "project__code"]
    readonly_fields = ["number", "code", "approval", "revision", "version"]
    inlines = [ProcessStepInline]


@admin.register(ProcessDesignVersion)
class ProcessDesignVersionAdmin(admin.ModelAdmin):
    list_display = ["design", "number", "status", "created_at"]
    search_fields = ["design__code", "name"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FunctionDescription)
class FunctionDescriptionAdmin(admin.ModelAdmin):
    list_display = ["title", "requirement", "kind", "design", "project"]
    list_filter = ["kind"]
    search_fields = ["title", "requirement__code"]


@admin.register(TechnicalRequirement)
class TechnicalRequirementAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "project", "category", "status", "verified_at"]
    list_filter = ["category", "status"]
    search_fields = ["code", "title", "project__code"]
    readonly_fields = ["number", "code", "verified_at", "verified_by", "version"]
