"""FilterSets of the cutover runbook, shared by the pages and the API (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from golive.models import CutoverRun, CutoverRunTask, CutoverTask, TaskType
from projects.filters import ProjectField, SearchFilterMixin, project_members


def visible_runs(request):
    if request is None:
        return CutoverRun.objects.none()
    return CutoverRun.objects.visible_to(request.user)


class CutoverTaskFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    stream = django_filters.CharFilter(label=_("Stream"))
    type = django_filters.MultipleChoiceFilter(choices=TaskType.choices, label=_("Type"))
    critical = django_filters.BooleanFilter(label=_("Critical"))
    owner = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username", label=_("Owner"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("code", "title", "stream")

    class Meta:
        model = CutoverTask
        fields = ["project", "stream", "type", "critical", "owner"]


class CutoverRunFilterSet(django_filters.FilterSet):
    project = ProjectField()
    kind = django_filters.ChoiceFilter(choices=CutoverRun.Kind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=CutoverRun.Status.choices, label=_("Status"))

    class Meta:
        model = CutoverRun
        fields = ["project", "kind", "status"]


class CutoverRunTaskFilterSet(django_filters.FilterSet):
    project = ProjectField(field_name="run__project")
    run = django_filters.ModelChoiceFilter(queryset=visible_runs, label=_("Run"))
    state = django_filters.MultipleChoiceFilter(choices=CutoverRunTask.State.choices, label=_("State"))
    owner = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username", label=_("Owner"))
    stream = django_filters.CharFilter(label=_("Stream"))

    class Meta:
        model = CutoverRunTask
        fields = ["project", "run", "state", "owner", "stream"]
