"""FilterSets shared by the dashboard lists and the API (django-filter)."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import Approval, Membership, Milestone, Phase, PhaseKind, Project, Task
from projects.roles import Role


def visible_projects(request):
    if request is None:
        return Project.objects.none()
    return Project.objects.visible_to(request.user)


def project_members(request):
    if request is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(memberships__project__in=Project.objects.visible_to(request.user)).distinct()


class ProjectField(django_filters.ModelChoiceFilter):
    """``?project=CODE`` among the projects the caller can see (others: 400, not a leak)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", visible_projects)
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("field_name", "project")
        kwargs.setdefault("label", _("Project (code)"))
        super().__init__(**kwargs)


class SearchFilterMixin:
    """``?q=`` over the FilterSet's ``search_fields`` (icontains)."""

    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class ProjectFilterSet(SearchFilterMixin, django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Project.Status.choices)
    q = django_filters.CharFilter(method="search", label=_("Search"))
    golive_after = django_filters.DateFilter(field_name="planned_golive", lookup_expr="gte", label=_("Go-live from"))
    golive_before = django_filters.DateFilter(field_name="planned_golive", lookup_expr="lte", label=_("Go-live until"))
    search_fields = ("code", "name", "client_name")

    class Meta:
        model = Project
        fields = ["status"]


class MembershipFilterSet(django_filters.FilterSet):
    project = ProjectField()
    role = django_filters.MultipleChoiceFilter(choices=Role.choices)
    user = django_filters.CharFilter(field_name="user__username")

    class Meta:
        model = Membership
        fields = ["project", "role"]


class PhaseFilterSet(django_filters.FilterSet):
    project = ProjectField()
    kind = django_filters.MultipleChoiceFilter(choices=PhaseKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=Phase.Status.choices)

    class Meta:
        model = Phase
        fields = ["project", "kind", "status"]


class MilestoneFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    phase = django_filters.ChoiceFilter(field_name="phase__kind", choices=PhaseKind.choices)
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("Due from"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Due until"))
    achieved = django_filters.BooleanFilter(
        field_name="achieved_on", lookup_expr="isnull", exclude=True, label=_("Achieved")
    )
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("title",)

    class Meta:
        model = Milestone
        fields = ["project"]


class TaskFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    phase = django_filters.ChoiceFilter(field_name="phase__kind", choices=PhaseKind.choices, label=_("Phase"))
    status = django_filters.MultipleChoiceFilter(choices=Task.Status.choices, label=_("Status"))
    owner = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username")
    due_after = django_filters.DateFilter(field_name="due", lookup_expr="gte", label=_("Due from"))
    due_before = django_filters.DateFilter(field_name="due", lookup_expr="lte", label=_("Due until"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("title", "description")

    class Meta:
        model = Task
        fields = ["project", "status"]


class ApprovalFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    decision = django_filters.MultipleChoiceFilter(choices=Approval.Decision.choices)
    approver = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username")
    requested_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("Requested from")
    )
    requested_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Requested until")
    )
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("title", "comment")

    class Meta:
        model = Approval
        fields = ["project", "decision"]
