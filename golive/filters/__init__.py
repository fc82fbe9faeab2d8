"""FilterSets of the go-live app, by sub-domain, shared by the dashboard lists and the API."""

from golive.filters.readiness import CriterionFilterSet, RunFilterSet

__all__ = ["CriterionFilterSet", "RunFilterSet"]
