"""Every page and every API GET operation, enumerated (never listed by hand).

Pages come from the URL conf (every ``path()`` outside ``admin/`` and ``/api/v1/``), API
operations from the OpenAPI schema (every GET). A route is a template with its URL
parameters; ``objects.Picker`` fills them with the big project's rows:

- ``code`` is the project's code;
- an object id (``pk``, ``cc``, ``{id}``) is a row of the model the route is about: for an
  API operation the viewset's model; for a page the model the URL segment before the
  parameter names (``cycles/<pk>`` → ``Cycle``, matched against model names, their verbose
  names and plurals, preferring the route's own app), with ``KWARG_MODELS`` for segments
  that name no model (``scope/<cc>``);
- another parameter (``name``) is that attribute of the row; ``order`` (a step) is 1;
- ``fmt`` and enum ``format`` / ``file_format`` query parameters give one route per format.

A parameter nothing fills leaves the route "unfilled": the report lists it, so a new route
is never silently left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

from projects.bigproject.replace import path_to_project

#: URL parameters, and API collections, whose segment names no model.
KWARG_MODELS = {"cc": "testing.CycleCase"}
SEGMENT_MODELS = {"audit-log": "auditlog.LogEntry"}
FORMAT_PARAMS = ("format", "file_format", "fmt")
FILE_FORMATS = ("csv", "xlsx")
SKIP_PREFIXES = ("admin/", "api/v1/", "bench/")  # Django's admin; the API (from the schema); bare views
_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass
class Route:
    kind: str  # "page" or "api"
    name: str  # URL name (namespace:name) or operationId
    template: str  # "/projects/{code}/testing/cycles/{pk}/"
    params: list[tuple[str, object]] = field(default_factory=list)  # (name, model | special)
    query: dict[str, str] = field(default_factory=dict)
    variant: str = ""
    paginated: bool = False
    problem: str = ""  # why the route cannot be filled

    @property
    def key(self) -> str:
        return f"{self.kind} {self.name}" + (f" [{self.variant}]" if self.variant else "")


# --- models named by a URL segment ---------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def project_models() -> list:
    return [m for m in apps.get_models() if path_to_project(m) or m._meta.label == "projects.Project"]


def model_for_segment(segment: str, app_label: str):
    """The model a URL segment (``cycles``, ``load-tests``, ``raid``) names, or ``None``."""
    seg = _norm(segment)
    stem = seg[:-1] if seg.endswith("s") else seg
    best, best_score = None, 0.0
    for model in project_models():
        names = {_norm(model._meta.model_name), _norm(model._meta.verbose_name), _norm(model._meta.verbose_name_plural)}
        score = 0.0
        if seg in names or stem in names:
            score = 3
        elif any(n.endswith(seg) or n.endswith(stem) for n in names):
            score = 2
        elif len(stem) >= 3 and any(n.startswith(stem) for n in names):
            score = 1
        if score and model._meta.app_label == app_label:
            score += 0.5
        if score > best_score:
            best, best_score = model, score
    return best


# --- pages: the URL conf -----------------------------------------------------------------------


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name or ''}", entry.pattern


def page_routes() -> list[Route]:
    routes = []
    for raw, name, pattern in _walk(get_resolver().url_patterns):
        if raw.startswith(SKIP_PREFIXES) or not isinstance(pattern, RoutePattern) or raw.startswith("^"):
            continue
        app = name.split(":", 1)[0].removesuffix("-portal") if ":" in name else "projects"
        template, params, formats = "/" + raw, [], [""]
        for match in _PARAM.finditer(raw):
            kwarg = match["name"]
            template = template.replace(match.group(0), "{" + kwarg + "}")
            if kwarg == "code":
                params.append((kwarg, "project"))
            elif kwarg == "fmt":
                formats = list(FILE_FORMATS)
            elif kwarg in ("order",):
                params.append((kwarg, "step-order"))
            elif kwarg == "token_key":
                params.append((kwarg, "token"))
            else:
                segment = raw[: match.start()].rstrip("/").rsplit("/", 1)[-1]
                label = KWARG_MODELS.get(kwarg)
                model = apps.get_model(label) if label else model_for_segment(segment, app)
                params.append((kwarg, model))
        for fmt in formats:
            route = Route("page", name, template.replace("{fmt}", fmt) if fmt else template, list(params), variant=fmt)
            if any(value is None for _k, value in params):
                route.problem = "no model for " + ", ".join(k for k, v in params if v is None)
            routes.append(route)
    return routes


# --- API: the OpenAPI schema ------------------------------------------------------------------


def api_routes() -> list[Route]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    routes = []
    for path, operations in schema["paths"].items():
        op = operations.get("get")
        if op is None:
            continue
        parameters = op.get("parameters", [])
        names = {p["name"] for p in parameters if p["in"] == "query"}
        path_params = [p["name"] for p in parameters if p["in"] == "path"]
        sample = re.sub(r"\{[^}]+\}", "1", path)
        view = resolve(sample).func
        viewset = getattr(view, "cls", None)
        model = getattr(getattr(viewset, "queryset", None), "model", None)
        if model is None and path_params:
            segment = path.split("/{", 1)[0].rsplit("/", 1)[-1]
            model = apps.get_model(SEGMENT_MODELS[segment]) if segment in SEGMENT_MODELS else None
        answers = op.get("responses", {}).get("200", {}).get("content", {})
        params = [(name, "project" if name == "code" else model) for name in path_params]
        query = {} if path_params else {"project": "{code}"}
        formats = [""]
        for p in parameters:
            if p["in"] == "query" and p["name"] in FORMAT_PARAMS:
                values = [v for v in p.get("schema", {}).get("enum", []) if v in FILE_FORMATS]
                formats = ([""] if "application/json" in answers else []) + [(p["name"], v) for v in values] or [""]
        for fmt in formats:
            route = Route(
                "api",
                op["operationId"],
                path,
                list(params),
                query={**query, **({fmt[0]: fmt[1]} if fmt else {})},
                variant=fmt[1] if fmt else "",
                paginated="page_size" in names,
            )
            if any(value is None for _k, value in params):
                route.problem = f"no model for the view {getattr(viewset, '__name__', view)}"
            routes.append(route)
    return routes


def all_routes() -> list[Route]:
    return page_routes() + api_routes()
