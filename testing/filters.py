"""FilterSets shared by the dashboard lists, the portal and the API (django-filter).

Every choice of a related object is narrowed to what the caller can see (callable
querysets taking the request), so a filter never names another project's rows.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from projects.filters import ProjectField, SearchFilterMixin, project_members
from testing.models import Case, CaseType, Cycle, CycleCase, Defect, Execution, LoadTestResult


def visible_cycles(request):
    if request is None:
        return Cycle.objects.none()
    return Cycle.objects.visible_to(request.user)


def visible_cases(request):
    if request is None:
        return Case.objects.none()
    return Case.objects.visible_to(request.user)


class CaseFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    type = django_filters.MultipleChoiceFilter(choices=CaseType.choices, label=_("Type"))
    owner = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username", label=_("Owner"))
    cycle = django_filters.ModelChoiceFilter(
        queryset=visible_cycles, field_name="cycle_cases__cycle", label=_("Cycle"), distinct=True
    )
    requirement = django_filters.CharFilter(field_name="requirements__code", label=_("Requirement code"), distinct=True)
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("code", "title", "preconditions")

    class Meta:
        model = Case
        fields = ["project", "type"]


class CycleFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    type = django_filters.MultipleChoiceFilter(choices=CaseType.choices, label=_("Type"))
    status = django_filters.MultipleChoiceFilter(choices=Cycle.Status.choices, label=_("Status"))
    assignee = django_filters.ModelChoiceFilter(
        queryset=project_members,
        to_field_name="username",
        field_name="cycle_cases__assignee",
        distinct=True,
        label=_("With cases assigned to"),
    )
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("name",)

    class Meta:
        model = Cycle
        fields = ["project", "type", "status"]


class ScopeFilterSet(SearchFilterMixin, django_filters.FilterSet):
    """The cases in one cycle's scope (``selectors.cycle_scope``): by latest result, tester, text."""

    result = django_filters.ChoiceFilter(
        field_name="latest_status",
        choices=[*Execution.Status.choices, ("not_run", _("Not run"))],
        label=_("Latest result"),
    )
    assignee = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username", label=_("Tester"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("case__code", "case__title")

    class Meta:
        model = CycleCase
        fields = []


class CycleCaseFilterSet(django_filters.FilterSet):
    project = ProjectField(field_name="cycle__project")
    cycle = django_filters.ModelChoiceFilter(queryset=visible_cycles, label=_("Cycle"))
    assignee = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username")

    class Meta:
        model = CycleCase
        fields = ["project", "cycle", "assignee"]


class ExecutionFilterSet(django_filters.FilterSet):
    project = ProjectField(field_name="cycle__project")
    cycle = django_filters.ModelChoiceFilter(queryset=visible_cycles, label=_("Cycle"))
    case = django_filters.ModelChoiceFilter(queryset=visible_cases, label=_("Test case"))
    status = django_filters.MultipleChoiceFilter(choices=Execution.Status.choices, label=_("Result"))
    tester = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username", label=_("Tester"))
    assignee = django_filters.ModelChoiceFilter(
        queryset=project_members, to_field_name="username", field_name="cycle_case__assignee", label=_("Assigned to")
    )
    type = django_filters.MultipleChoiceFilter(field_name="case__type", choices=CaseType.choices, label=_("Type"))
    started_after = django_filters.DateFilter(field_name="started_at", lookup_expr="date__gte", label=_("Started from"))
    started_before = django_filters.DateFilter(
        field_name="started_at", lookup_expr="date__lte", label=_("Started until")
    )

    class Meta:
        model = Execution
        fields = ["project", "cycle", "case", "status"]


class DefectFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    cycle = django_filters.ModelChoiceFilter(queryset=visible_cycles, label=_("Cycle"))
    case = django_filters.ModelChoiceFilter(queryset=visible_cases, label=_("Test case"))
    status = django_filters.MultipleChoiceFilter(choices=Defect.Status.choices, label=_("Status"))
    severity = django_filters.MultipleChoiceFilter(choices=Defect.Severity.choices, label=_("Severity"))
    priority = django_filters.MultipleChoiceFilter(choices=Defect.Priority.choices, label=_("Priority"))
    assignee = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username", label=_("Assignee"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("Open only"))
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("Raised from"))
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Raised until")
    )
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("code", "title", "description")

    class Meta:
        model = Defect
        fields = ["project", "status", "severity"]

    def filter_open(self, queryset, name, value):
        from testing.transitions import OPEN_DEFECT_STATUSES

        if value is None:
            return queryset
        lookup = {"status__in": OPEN_DEFECT_STATUSES}
        return queryset.filter(**lookup) if value else queryset.exclude(**lookup)


class LoadTestResultFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    cycle = django_filters.ModelChoiceFilter(queryset=visible_cycles, label=_("Cycle"))
    passed = django_filters.BooleanFilter(label=_("Passed"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("scenario",)

    class Meta:
        model = LoadTestResult
        fields = ["project", "cycle", "passed"]
