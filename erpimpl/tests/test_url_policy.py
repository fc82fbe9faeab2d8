"""Every URL pattern of the site has an access policy and an isolation test (RELIABILITY A1).

A route is covered when it is in ``PUBLIC_ROUTES`` / ``SITE_ROUTES`` below, or in the
``COVERED_ROUTES`` of some app's ``tests/test_isolation.py``. Adding a page or endpoint
without a row there fails this test.

A route listed in ``COVERED_ROUTES`` counts only if a test of the session really requested
it: the root ``conftest.py`` records every resolved URL name (``RouteRecorder``) and runs
this module last. That check needs every app's isolation module in the session; on a partial run
``conftest.py`` deselects it.
"""

from importlib import import_module

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

#: Reachable without signing in, by design.
PUBLIC_ROUTES = {"healthz", "login", "set_language", "auth-token-list", "schema", "api-docs"}
#: Not project data: Django admin (staff only), the user's own profile and tokens.
SITE_ROUTES = {"logout", "home", "profile", "token_revoke", "auth-token-detail"}


def _route_names(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace == "admin":
                continue
            yield from _route_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def _covered_by_apps() -> set[str]:
    covered = set()
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.tests.test_isolation")
        except ModuleNotFoundError:
            continue
        covered |= set(getattr(module, "COVERED_ROUTES", ()))
    return covered


def test_every_route_has_a_policy_and_an_isolation_test():
    names = set(_route_names(get_resolver()))
    names = {n for n in names if not n.endswith("api-root")}
    covered = PUBLIC_ROUTES | SITE_ROUTES | _covered_by_apps()
    missing = sorted(names - covered)
    assert not missing, f"routes without an isolation test (add them to COVERED_ROUTES): {missing}"


def isolation_modules() -> set[str]:
    modules = set()
    for config in apps.get_app_configs():
        try:
            import_module(f"{config.name}.tests.test_isolation")
        except ModuleNotFoundError:
            continue
        modules.add(f"{config.name}.tests.test_isolation")
    return modules


def test_every_listed_route_was_requested_by_a_test():
    from conftest import COLLECTED_MODULES
    from projects.tests.isolation import REQUESTED_ROUTES

    assert isolation_modules() <= COLLECTED_MODULES  # conftest deselects this test otherwise
    listed = _covered_by_apps()
    never = sorted(listed - REQUESTED_ROUTES)
    assert not never, f"listed in COVERED_ROUTES but never requested by any test: {never}"
