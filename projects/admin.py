from django.contrib import admin

from projects.forms import AdminLoginForm
from projects.models import (
    Approval,
    LoginFailure,
    Membership,
    MethodologyTemplate,
    Milestone,
    Phase,
    Project,
    Task,
    TemplateItem,
)

# The admin's sign-in goes through the same brake on password guessing as the login page.
admin.site.login_form = AdminLoginForm


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Recent failed sign-ins; deleting an account's rows lifts its lockout at once."""

    list_display = ["username", "address", "at"]
    search_fields = ["username", "address"]
    readonly_fields = ["username", "address", "at"]

    def has_add_permission(self, request):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "client_name", "status", "planned_golive"]
    list_filter = ["status"]
    search_fields = ["code", "name", "client_name"]
    inlines = [MembershipInline]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "status", "planned_start", "planned_end"]
    list_filter = ["kind", "status"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "phase", "status", "progress", "due"]
    list_filter = ["status", "phase__kind"]
    search_fields = ["title"]


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 0


@admin.register(MethodologyTemplate)
class MethodologyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_builtin", "created_at"]
    inlines = [TemplateItemInline]


admin.site.register(Milestone)
admin.site.register(Approval)
