"""The REST API root: ``/api/v1/<app>/<resource>/``, the auth endpoints and the schema.

Each app declares its routes in ``<app>/api/urls.py`` (a router); they are mounted here
under the app label, NetBox-style.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from projects.api import auth_views

API_APPS = [
    ("projects", "projects.api.urls"),
    ("discovery", "phases.discovery.api.urls"),
    ("design", "phases.design.api.urls"),
    ("development", "phases.development.api.urls"),
    ("datamigration", "datamigration.api.urls"),
    ("testing", "testing.api.urls"),
    ("golive", "golive.api.urls"),
    ("support", "support.api.urls"),
]


def _app_routes():
    from erpimpl.urls_util import optional_include

    routes = []
    for label, module in API_APPS:
        routes += optional_include(f"{label}/", module, f"{label}-api")
    return routes


urlpatterns = [
    path("auth/token/", auth_views.TokenListCreateView.as_view(), name="auth-token-list"),
    path("auth/token/<str:token_key>/", auth_views.TokenRevokeView.as_view(), name="auth-token-detail"),
    *_app_routes(),
]

schema_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
