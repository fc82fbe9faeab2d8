"""FilterSets of Discovery & Planning, shared by the dashboard lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from phases.discovery.models import (
    BusinessArea,
    CurrentProcess,
    DiscoverySignoff,
    Kickoff,
    Level,
    PlanDocument,
    RaidItem,
    Requirement,
    RolloutWave,
    Stakeholder,
)
from projects.filters import ProjectField, SearchFilterMixin, project_members
from projects.models import Approval


class BlankChoiceFilter(django_filters.MultipleChoiceFilter):
    """A choice filter on a text field whose empty value is a choice of its own ("Not assessed").

    An empty query value means "Any" (on pages and in the API), so the empty choice is offered
    and accepted as ``blank_value`` (``?fit_gap=none``) and matches the rows left empty.
    """

    def __init__(self, *, choices, blank_value: str = "none", **kwargs):
        self.blank_value = blank_value
        choices = [(blank_value if value == "" else value, label) for value, label in choices]
        super().__init__(choices=choices, **kwargs)

    def get_filter_predicate(self, v):
        return super().get_filter_predicate("" if v == self.blank_value else v)


class _Base(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    q = django_filters.CharFilter(method="search", label=_("Search"))


class KickoffFilterSet(_Base):
    date_after = django_filters.DateFilter(field_name="meeting_date", lookup_expr="date__gte", label=_("From"))
    date_before = django_filters.DateFilter(field_name="meeting_date", lookup_expr="date__lte", label=_("To"))
    search_fields = ("title", "goals", "scope_in", "scope_out")

    class Meta:
        model = Kickoff
        fields = ["project"]


class StakeholderFilterSet(_Base):
    influence = django_filters.MultipleChoiceFilter(choices=Level.choices, label=_("Influence"))
    interest = django_filters.MultipleChoiceFilter(choices=Level.choices, label=_("Interest"))
    organisation = django_filters.CharFilter(lookup_expr="icontains", label=_("Organisation"))
    search_fields = ("name", "organisation", "title", "email")

    class Meta:
        model = Stakeholder
        fields = ["project"]


class CurrentProcessFilterSet(_Base):
    business_area = django_filters.MultipleChoiceFilter(choices=BusinessArea.choices, label=_("Business area"))
    owner = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username", label=_("Owner"))
    search_fields = ("name", "as_is_description", "systems_used", "pain_points")

    class Meta:
        model = CurrentProcess
        fields = ["project"]


class RequirementFilterSet(_Base):
    status = django_filters.MultipleChoiceFilter(choices=Requirement.Status.choices, label=_("Status"))
    priority = django_filters.MultipleChoiceFilter(choices=Requirement.Priority.choices, label=_("Priority"))
    fit_gap = BlankChoiceFilter(choices=Requirement.FitGap.choices, label=_("Fit/gap"))
    resolution = BlankChoiceFilter(choices=Requirement.Resolution.choices, label=_("Resolution"))
    business_area = django_filters.MultipleChoiceFilter(choices=BusinessArea.choices, label=_("Business area"))
    source = django_filters.MultipleChoiceFilter(choices=Requirement.Source.choices, label=_("Source"))
    owner = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username", label=_("Owner"))
    process = django_filters.NumberFilter(field_name="processes", label=_("Current process (id)"))
    search_fields = ("code", "title", "description")

    class Meta:
        model = Requirement
        fields = ["project"]


class RaidItemFilterSet(_Base):
    kind = django_filters.MultipleChoiceFilter(choices=RaidItem.Kind.choices, label=_("Type"))
    status = django_filters.MultipleChoiceFilter(choices=RaidItem.Status.choices, label=_("Status"))
    owner = django_filters.ModelChoiceFilter(queryset=project_members, to_field_name="username", label=_("Owner"))
    due_after = django_filters.DateFilter(field_name="due", lookup_expr="gte", label=_("Due from"))
    due_before = django_filters.DateFilter(field_name="due", lookup_expr="lte", label=_("Due until"))
    internal = django_filters.BooleanFilter(label=_("Internal"))
    search_fields = ("title", "description", "response")

    class Meta:
        model = RaidItem
        fields = ["project"]


class RolloutWaveFilterSet(_Base):
    starts_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label=_("Starts from"))
    golive_before = django_filters.DateFilter(field_name="golive_date", lookup_expr="lte", label=_("Go-live until"))
    search_fields = ("name", "description", "sites__company", "sites__site")

    class Meta:
        model = RolloutWave
        fields = ["project"]

    def search(self, queryset, name, value):
        return super().search(queryset, name, value).distinct()


class PlanDocumentFilterSet(_Base):
    kind = django_filters.MultipleChoiceFilter(choices=PlanDocument.Kind.choices, label=_("Kind"))
    search_fields = ("title", "description", "original_name")

    class Meta:
        model = PlanDocument
        fields = ["project"]


class DiscoverySignoffFilterSet(_Base):
    decision = django_filters.MultipleChoiceFilter(
        field_name="approval__decision", choices=Approval.Decision.choices, label=_("Decision")
    )
    search_fields = ("summary",)

    class Meta:
        model = DiscoverySignoff
        fields = ["project"]
