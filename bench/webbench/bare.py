"""The bare Django view the API lists are compared with (benchmark only, ``urls.py``).

``GET /bench/bare/<app>/<resource>/?project=CODE`` answers the first 50 rows of the API
list ``/api/v1/<app>/<resource>/?project=CODE`` as JSON: the same rows (the caller's
scoped rows of the project, in the model's order) with the serializer's model fields
(foreign keys as ids), after the same token authentication. What it leaves out is what
the API adds: DRF's request and permission machinery, django-filter, the count of the
page, serializers and nested representations.
"""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from rest_framework.exceptions import AuthenticationFailed

from projects.authentication import TokenAuthentication

PAGE = 50


@functools.cache
def _shape(app: str, resource: str):
    try:
        match = resolve(f"/api/v1/{app}/{resource}/")
    except Resolver404:
        raise Http404(resource) from None
    viewset = match.func.cls
    model = viewset.queryset.model
    serializer_fields = set(viewset.serializer_class().fields)
    columns = [
        f.attname for f in model._meta.concrete_fields if f.name in serializer_fields or f.attname in serializer_fields
    ]
    return model, columns, list(model._meta.ordering or ["pk"])


def rows(request, app: str, resource: str):
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        found = None
    if found is None:
        raise PermissionDenied
    user = found[0]
    model, columns, ordering = _shape(app, resource)
    queryset = model.objects.visible_to(user).filter(project__code=request.GET.get("project", ""))
    data = list(queryset.order_by(*ordering).values(*columns)[:PAGE])
    return JsonResponse({"results": data}, encoder=DjangoJSONEncoder)
