"""FilterSets of the design app, shared by the dashboard lists and the API (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from phases.design.models import (
    DesignStatus,
    FunctionDescription,
    ProcessDesign,
    ProcessDesignVersion,
    TechnicalRequirement,
)
from phases.discovery.models import BusinessArea
from projects.filters import ProjectField, SearchFilterMixin, project_members


class ProcessDesignFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    status = django_filters.MultipleChoiceFilter(
        choices=DesignStatus.choices, method="filter_status", label=_("Status")
    )
    business_area = django_filters.MultipleChoiceFilter(choices=BusinessArea.choices, label=_("Business area"))
    requirement = django_filters.CharFilter(
        field_name="requirements__code", label=_("Covers requirement (code)"), distinct=True
    )
    has_requirements = django_filters.BooleanFilter(
        field_name="requirements", lookup_expr="isnull", exclude=True, distinct=True, label=_("Has requirements")
    )
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("code", "name", "as_is", "to_be")

    class Meta:
        model = ProcessDesign
        fields = ["project", "business_area"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset


class ProcessDesignVersionFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField(field_name="design__project")
    design = django_filters.NumberFilter(field_name="design_id", label=_("Process design (id)"))
    status = django_filters.MultipleChoiceFilter(choices=DesignStatus.choices, label=_("Status at the time"))
    business_area = django_filters.MultipleChoiceFilter(choices=BusinessArea.choices, label=_("Business area"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("design__code", "name", "to_be")

    class Meta:
        model = ProcessDesignVersion
        fields = ["design", "status"]


class FunctionDescriptionFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    kind = django_filters.MultipleChoiceFilter(choices=FunctionDescription.Kind.choices, label=_("Kind"))
    business_area = django_filters.MultipleChoiceFilter(
        field_name="requirement__business_area", choices=BusinessArea.choices, label=_("Business area")
    )
    requirement = django_filters.CharFilter(field_name="requirement__code", label=_("Requirement (code)"))
    design = django_filters.NumberFilter(field_name="design_id", label=_("Process design (id)"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("title", "description", "erp_reference", "requirement__code", "requirement__title")

    class Meta:
        model = FunctionDescription
        fields = ["project", "kind"]


class TechnicalRequirementFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    category = django_filters.MultipleChoiceFilter(choices=TechnicalRequirement.Category.choices, label=_("Category"))
    status = django_filters.MultipleChoiceFilter(choices=TechnicalRequirement.Status.choices, label=_("Status"))
    owner = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username", label=_("Owner"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("code", "title", "description", "acceptance_criterion", "evidence")

    class Meta:
        model = TechnicalRequirement
        fields = ["project", "category", "status"]
