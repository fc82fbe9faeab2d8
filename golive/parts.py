"""The go-live app's sub-domains, each with its own URL and API modules, mounted together.

``golive/urls.py``, ``golive/portal_urls.py`` and ``golive/api/urls.py`` gather, for each part,
``golive.urls_<part>.urlpatterns``, ``golive.portal_urls_<part>.urlpatterns`` and
``golive.api.<part>_urls.register(router)`` when the module exists.
"""

from importlib import import_module

PARTS = ("readiness", "cutover", "people", "decisions")


def optional(module_name: str):
    try:
        return import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None


def patterns(prefix: str) -> list:
    found = []
    for part in PARTS:
        module = optional(f"{prefix}{part}")
        if module is not None:
            found += module.urlpatterns
    return found
