from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from erpimpl import api
from erpimpl.health import healthz
from erpimpl.urls_util import optional_include
from projects.forms import LoginForm

#: Apps whose pages hang off a project: ``<app>/urls.py`` (namespace = label) is mounted at
#: ``/projects/<code>/<label>/`` and ``<app>/portal_urls.py`` (``<label>-portal``) at
#: ``/portal/<code>/<label>/``, when the module exists.
PHASE_APPS = [
    ("discovery", "phases.discovery"),
    ("design", "phases.design"),
    ("development", "phases.development"),
    ("datamigration", "datamigration"),
    ("testing", "testing"),
    ("golive", "golive"),
    ("support", "support"),
]


def _phase_app_routes():
    routes = []
    for label, package in PHASE_APPS:
        routes += optional_include(f"projects/<str:code>/{label}/", f"{package}.urls", label)
        routes += optional_include(f"portal/<str:code>/{label}/", f"{package}.portal_urls", f"{label}-portal")
    return routes


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api.urlpatterns)),
    path("api/", include(api.schema_urlpatterns)),
    *_phase_app_routes(),
    path("", include("projects.urls")),
]

# Under /api/ these answer JSON (erpimpl.errors); elsewhere Django's pages.
handler400 = "erpimpl.errors.bad_request"
handler403 = "erpimpl.errors.permission_denied"
handler404 = "erpimpl.errors.page_not_found"
handler500 = "erpimpl.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
