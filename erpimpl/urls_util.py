from importlib import import_module

from django.urls import include, path


def optional_include(prefix: str, module: str, namespace: str) -> list:
    """``include`` a URL module if the app has one yet; an import error inside it still raises."""
    try:
        import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or not module.startswith(exc.name):
            raise
        return []
    return [path(prefix, include((module, namespace)))]
