"""The API's django-filter backend: a list's filters built only for the parameters it names.

django-filter copies every filter of a FilterSet and builds a form field for each on every
request, querysets of the choice filters included (the members, the visible cycles...):
about 3 ms of a 50-row list. An absent parameter filters nothing, and the API never renders
the form, so the API builds the filters its request names (and the required ones) only.
The dashboard pages keep the whole FilterSet: they render its form.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend


def requested_filters(filterset_class, params) -> dict:
    """The filters of ``filterset_class`` that ``params`` (the query's names) name: the filter's
    own name, or one of its widget's suffixed names (``<name>_min``, ``<name>_after``); and
    every required filter, so that its absence still answers 400."""
    names = set(params)
    return {
        name: filter_
        for name, filter_ in filterset_class.base_filters.items()
        if name in names or filter_.extra.get("required") or any(param.startswith(f"{name}_") for param in names)
    }


class RequestedFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        filterset = filterset_class.__new__(filterset_class)
        # The instance's own base_filters: django-filter's __init__ copies these.
        filterset.base_filters = requested_filters(filterset_class, request.query_params)
        filterset.__init__(**kwargs)
        return filterset
