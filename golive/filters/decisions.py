"""FilterSet of go/no-go decisions, shared by the dashboard list and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from golive.models import GoNoGoDecision
from projects.filters import ProjectField


class DecisionFilterSet(django_filters.FilterSet):
    project = ProjectField()
    outcome = django_filters.MultipleChoiceFilter(choices=GoNoGoDecision.Outcome.choices, label=_("Outcome"))
    meeting_after = django_filters.DateFilter(field_name="meeting_at", lookup_expr="date__gte", label=_("From"))
    meeting_before = django_filters.DateFilter(field_name="meeting_at", lookup_expr="date__lte", label=_("Until"))

    class Meta:
        model = GoNoGoDecision
        fields = ["project", "outcome"]
