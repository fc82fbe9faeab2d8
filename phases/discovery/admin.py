from django.contrib import admin

from phases.discovery import models as m


@admin.register(m.Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "project", "business_area", "priority", "fit_gap", "status"]
    list_filter = ["status", "priority", "fit_gap", "business_area"]
    search_fields = ["code", "title"]


@admin.register(m.RaidItem)
class RaidItemAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "kind", "status", "internal"]
    list_filter = ["kind", "status", "internal"]


for model in (
    m.Stakeholder,
    m.Kickoff,
    m.CurrentProcess,
    m.RolloutWave,
    m.PlanDocument,
    m.DiscoverySignoff,
):
    admin.site.register(model)
