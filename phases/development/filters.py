"""FilterSets of the development app, shared by the dashboard lists and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from phases.development.models import DevelopmentItem, Environment, Release
from projects.filters import ProjectField, SearchFilterMixin, project_members


def visible_environments(request):
    if request is None:
        return Environment.objects.none()
    return Environment.objects.visible_to(request.user)


def visible_releases(request):
    if request is None:
        return Release.objects.none()
    return Release.objects.visible_to(request.user)


def visible_items(request):
    if request is None:
        return DevelopmentItem.objects.none()
    return DevelopmentItem.objects.visible_to(request.user)


@extend_schema_field(OpenApiTypes.INT)
class EnvironmentRefFilter(django_filters.ModelChoiceFilter):
    """An environment id (among the caller's projects), matched by the FilterSet's method."""


class DevelopmentItemFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    status = django_filters.MultipleChoiceFilter(choices=DevelopmentItem.Status.choices, label=_("Status"))
    type = django_filters.MultipleChoiceFilter(choices=DevelopmentItem.Type.choices, label=_("Type"))
    assignee = django_filters.ModelChoiceFilter(
        queryset=project_members, to_field_name="username", label=_("Assignee (username)")
    )
    environment = django_filters.ModelChoiceFilter(
        field_name="target_environment", queryset=visible_environments, label=_("Target environment (id)")
    )
    release = django_filters.ModelChoiceFilter(
        field_name="target_release", queryset=visible_releases, label=_("Target release (id)")
    )
    q = django_filters.CharFilter(method="search", label=_("Search (code, title, description, external system)"))
    search_fields = ("code", "title", "description", "external_system")

    class Meta:
        model = DevelopmentItem
        fields = ["project", "status", "type"]


class EnvironmentFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    kind = django_filters.MultipleChoiceFilter(choices=Environment.Kind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=Environment.Status.choices, label=_("Status"))
    q = django_filters.CharFilter(method="search", label=_("Search (name, URL, version)"))
    search_fields = ("name", "url", "software_version", "description")

    class Meta:
        model = Environment
        fields = ["project", "kind", "status"]


class ReleaseFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    status = django_filters.MultipleChoiceFilter(choices=Release.Status.choices, label=_("Status"))
    environment = EnvironmentRefFilter(
        queryset=visible_environments, method="filter_environment", label=_("From or to environment (id)")
    )
    item = django_filters.ModelChoiceFilter(
        field_name="items",
        queryset=lambda request: DevelopmentItem.objects.visible_to(request.user)
        if request
        else DevelopmentItem.objects.none(),
        label=_("Contains development item (id)"),
    )
    q = django_filters.CharFilter(method="search", label=_("Search (code, title, description)"))
    search_fields = ("code", "title", "description")

    class Meta:
        model = Release
        fields = ["project", "status"]

    def filter_environment(self, queryset, name, value):
        return queryset.filter(Q(source_environment=value) | Q(target_environment=value))
