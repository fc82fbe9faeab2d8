"""Only the discovery API, to check its part of the OpenAPI schema in isolation."""

from django.urls import include, path

urlpatterns = [path("api/v1/discovery/", include(("phases.discovery.api.urls", "discovery-api")))]
