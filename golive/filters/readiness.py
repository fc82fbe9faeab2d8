"""FilterSets of the go-live app, shared by the dashboard lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from golive.models import Category, ReadinessCriterion, ReadinessRun
from projects.filters import ProjectField, SearchFilterMixin


class CriterionFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    category = django_filters.MultipleChoiceFilter(choices=Category.choices, label=_("Category"))
    kind = django_filters.ChoiceFilter(choices=ReadinessCriterion.Kind.choices, label=_("Kind"))
    blocking = django_filters.BooleanFilter(label=_("Blocking"))
    active = django_filters.BooleanFilter(label=_("Active"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("code", "title", "description")

    class Meta:
        model = ReadinessCriterion
        fields = ["project", "category", "kind", "blocking", "active"]


class RunFilterSet(django_filters.FilterSet):
    project = ProjectField()
    status = django_filters.MultipleChoiceFilter(choices=ReadinessRun.Status.choices, label=_("Status"))
    trigger = django_filters.ChoiceFilter(choices=ReadinessRun.Trigger.choices, label=_("Trigger"))
    recommendation = django_filters.ChoiceFilter(choices=ReadinessRun.Recommendation.choices, label=_("Recommendation"))
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("From"))
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("Until"))

    class Meta:
        model = ReadinessRun
        fields = ["project", "status", "trigger", "recommendation"]
