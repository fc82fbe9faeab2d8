"""Read-mostly admin pages for firm staff (every write of users goes through the app's pages)."""

from django.contrib import admin

from testing.models import (
    Case,
    CaseStep,
    Cycle,
    CycleCase,
    Defect,
    DefectComment,
    Execution,
    LoadTestResult,
    StepResult,
)


class CaseStepInline(admin.TabularInline):
    model = CaseStep
    extra = 0


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "type", "project", "owner"]
    list_filter = ["type", "project"]
    search_fields = ["code", "title"]
    inlines = [CaseStepInline]


class CycleCaseInline(admin.TabularInline):
    model = CycleCase
    extra = 0
    raw_id_fields = ["case", "assignee"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "status", "project", "planned_start", "planned_end"]
    list_filter = ["type", "status", "project"]
    inlines = [CycleCaseInline]


class StepResultInline(admin.TabularInline):
    model = StepResult
    extra = 0
    readonly_fields = ["order", "action", "expected_result", "status", "actual_result", "recorded_at"]
    exclude = ["step"]


@admin.register(Execution)
class ExecutionAdmin(admin.ModelAdmin):
    list_display = ["case", "cycle", "run", "status", "tester", "started_at", "finished_at"]
    list_filter = ["status", "cycle__project"]
    inlines = [StepResultInline]
    readonly_fields = ["cycle", "cycle_case", "case", "run", "tester", "started_at", "finished_at", "status"]


class DefectCommentInline(admin.TabularInline):
    model = DefectComment
    extra = 0


@admin.register(Defect)
class DefectAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "severity", "priority", "status", "project", "assignee"]
    list_filter = ["severity", "status", "project"]
    search_fields = ["code", "title"]
    inlines = [DefectCommentInline]
    readonly_fields = ["status", "resolved_at"]  # statuses move only through the transitions


@admin.register(LoadTestResult)
class LoadTestResultAdmin(admin.ModelAdmin):
    list_display = ["scenario", "virtual_users", "p95_ms", "p99_ms", "error_rate", "passed", "project", "executed_at"]
    list_filter = ["passed", "project"]
    readonly_fields = ["passed"]
