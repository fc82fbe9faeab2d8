"""FilterSets of the support plan, training and user guides, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from golive.models import Attendance, EscalationLevel, SupportTeam, TrainingSession, UserGuide
from projects.filters import ProjectField, SearchFilterMixin
from projects.roles import Role


class SupportTeamFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField(field_name="plan__project")
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("name",)

    class Meta:
        model = SupportTeam
        fields = ["project"]


class EscalationFilterSet(django_filters.FilterSet):
    project = ProjectField(field_name="plan__project")
    level = django_filters.ChoiceFilter(choices=EscalationLevel.Level.choices, label=_("Level"))

    class Meta:
        model = EscalationLevel
        fields = ["project", "level"]


class TrainingSessionFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    role = django_filters.ChoiceFilter(choices=Role.choices, method="for_role", label=_("Audience role"))
    starts_after = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("From"))
    starts_before = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("Until"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("topic", "place")

    class Meta:
        model = TrainingSession
        fields = ["project"]

    def for_role(self, queryset, name, value):
        return queryset.filter(audience_roles__contains=[value])


class AttendanceFilterSet(django_filters.FilterSet):
    project = ProjectField(field_name="session__project")
    session = django_filters.NumberFilter(field_name="session_id", label=_("Session"))
    status = django_filters.MultipleChoiceFilter(choices=Attendance.Status.choices, label=_("Status"))

    class Meta:
        model = Attendance
        fields = ["project", "session", "status"]


class UserGuideFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    published = django_filters.BooleanFilter(label=_("Published"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("title",)

    class Meta:
        model = UserGuide
        fields = ["project", "published"]
