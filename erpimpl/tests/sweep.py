"""The routes of the site, enumerated for the isolation sweeps (issue 10, "Keep it caught").

Nothing here is a hand-kept list of routes: pages come from the URL conf
(``django.urls.get_resolver``, walked recursively), API operations from the OpenAPI schema
(``drf_spectacular``'s ``SchemaGenerator``), and the two are checked against each other. A
URL keyword that names an object is filled with rows of the model behind it:

- API: the model of the viewset's ``queryset`` (or of its serializer);
- pages: the model of the view's app named by the noun before ``{pk}`` in the path
  (``kickoffs/{pk}/raci/`` → ``Kickoff``, ``raid/{pk}/`` → ``RaidItem``);
- ``ROUTE_MODELS`` where neither tells (an audit entry's viewset has no queryset);
- other keywords: ``KWARG_MODELS`` (``code`` → ``Project``, ``cc`` → ``CycleCase``, ...).

A route whose object the suite cannot find makes ``unfillable()`` name it, and the sweep
fails: a new route cannot be skipped silently.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings

from projects.api.base import ScopedPrimaryKeyField
from projects.api.serializers import MemberField

#: Routes that are not about project data (signing in, the schema, Django's admin).
NOT_PROJECT_DATA = {"healthz", "login", "logout", "set_language", "schema", "api-docs", "auth-token-list"}

#: URL keywords that name an object by something other than a primary key: the fallback
#: mapping the brief allows (``(model label, lookup field)``).
KWARG_MODELS = {
    "code": ("projects.Project", "code"),
    "name": ("datamigration.MasterDataObject", "name"),
    "cc": ("testing.CycleCase", "pk"),
    "token_key": ("knox.AuthToken", "token_key"),
    "project": ("projects.Project", "code"),  # the go-live runbook and support plan, one per project
    "run": ("golive.CutoverRun", "pk"),
}
#: URL keywords that are not objects: a position inside the object the route names, a format.
FIXED_KWARGS = {"order": ["1"], "fmt": ["csv", "xlsx"]}
#: Routes whose object the path and the view do not tell (an audit entry has no queryset).
ROUTE_MODELS = {
    "projects-api:auditentry-detail": "auditlog.LogEntry",
    # go-live: "runs" and "tasks" name several of its models (readiness runs, cutover runs and tasks)
    **{f"golive:{n}": "golive.ReadinessRun" for n in ("run_detail", "run_progress", "run_cancel", "run_compare")},
    **{
        f"golive:{n}": "golive.ReadinessCriterion"
        for n in ("criterion_detail", "criterion_edit", "criterion_delete", "criterion_assess", "criterion_evidence")
    },
    "golive-portal:criterion_assess": "golive.ReadinessCriterion",
    **{
        f"golive:{n}": "golive.CutoverRun"
        for n in (
            "cutover_run",
            "cutover_run_board",
            "cutover_run_gantt",
            "cutover_run_rebaseline",
            "cutover_run_cancel",
        )
    },
    **{
        f"golive:{n}": "golive.CutoverTask"
        for n in ("cutover_task_edit", "cutover_task_delete", "cutover_task_duration_from_load")
    },
    **{f"golive-portal:{n}": "golive.CutoverRunTask" for n in ("cutover_my_task_start", "cutover_my_task_finish")},
    "golive:guide_download": "golive.UserGuideVersion",
    "golive-portal:guide_download": "golive.UserGuideVersion",
}
#: API routes on rows that belong to no project: the model, read like a list (nothing to hide).
GLOBAL_ROUTES = {
    "projects-api:template-detail": "projects.MethodologyTemplate",  # the firm's, every user reads them
}


@dataclass
class Route:
    name: str  # namespace:name
    kind: str  # "page" or "api"
    path: str  # with {kwarg} placeholders
    kwargs: tuple[str, ...]
    methods: tuple[str, ...]  # lower case: the schema's, or those a page's view defines
    view: type | None
    models: dict = field(default_factory=dict)  # kwarg -> (model, lookup field)

    @property
    def object_kwargs(self) -> tuple[str, ...]:
        """Keywords naming an object; a page's ``code`` is the project it is about, not one."""
        return tuple(k for k in self.kwargs if k in self.models and (k != "code" or self.kind == "api"))

    def url(self, values: dict) -> str:
        return "/" + self.path.format(**values)

    def read_url(self, project) -> str:
        """The URL of a route naming no object: about ``project``, or a firm-wide row."""
        values = {k: FIXED_KWARGS[k][0] for k in self.kwargs if k in FIXED_KWARGS}
        if "code" in self.kwargs:
            values["code"] = project.code
        if self.name in GLOBAL_ROUTES:
            row = _model(GLOBAL_ROUTES[self.name])._default_manager.order_by("pk").first()
            values.update({k: str(row.pk) for k in self.kwargs if k in ("id", "pk")})
        return self.url(values)

    def __str__(self):
        return f"{self.name} {self.path}"


# --- the URL conf --------------------------------------------------------------------------


def _template(route: str) -> str:
    """``projects/<str:code>/x/<int:pk>/`` → ``projects/{code}/x/{pk}/``; router regexes too."""
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
    return route.replace("^", "").replace("$", "").replace("\\", "")


def url_conf(resolver=None, prefix="", namespace=""):
    """``(name, path template, view)`` of every named pattern, admin excluded."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_conf(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            view = getattr(entry.callback, "view_class", None) or getattr(entry.callback, "cls", None)
            yield f"{namespace}{entry.name}", _template(prefix + str(entry.pattern)), view or entry.callback


def _app_of(view) -> str:
    config = apps.get_containing_app_config(view.__module__)
    return config.label if config else ""


def _model(label: str):
    return apps.get_model(label) if "." in label else None


def _noun(segment: str) -> list[str]:
    word = segment.replace("-", "").replace("_", "").lower()
    return [word] + [word[: -len(end)] for end in ("s", "es") if word.endswith(end)]


def page_model(name: str, path: str, view) -> tuple | None:
    """The model whose primary key a page route takes: the noun before ``{pk}`` in its path
    (``kickoffs/{pk}/raci/`` → ``Kickoff``, ``raid/{pk}/`` → ``RaidItem``), among the models
    of the view's app: an exact name, else the one name ending, else starting, with it."""
    if name in ROUTE_MODELS:
        return _model(ROUTE_MODELS[name]), "pk"
    candidates = [m for m in apps.get_app_config(_app_of(view)).get_models() if hasattr(m, "scope_path")]
    segment = path.split("{pk}")[0].rstrip("/").split("/")[-1]
    for match in (str.__eq__, str.endswith, str.startswith):
        for token in _noun(segment):
            found = [m for m in candidates if match(m._meta.model_name, token)]
            if len(found) == 1:
                return found[0], "pk"
    return None


def page_routes() -> list[Route]:
    routes, seen = [], set()
    for name, path, view in url_conf():
        if name in NOT_PROJECT_DATA or name in seen or path.startswith("api/") or name.endswith("api-root"):
            continue
        seen.add(name)
        kwargs = tuple(re.findall(r"{(\w+)}", path))
        methods = tuple(m for m in ("get", "post") if hasattr(view, m)) or ("get",)  # a function view: GET
        route = Route(name, "page", path, kwargs, methods, view)
        for kwarg in kwargs:
            if kwarg == "pk":
                found = page_model(name, path, view)
                if found:
                    route.models[kwarg] = found
            elif kwarg in KWARG_MODELS:
                label, lookup = KWARG_MODELS[kwarg]
                route.models[kwarg] = (_model(label), lookup)
        routes.append(route)
    return routes


# --- the OpenAPI schema --------------------------------------------------------------------


@cache
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _api_model(view):
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    return getattr(getattr(serializer, "Meta", None), "model", None)


def api_routes() -> list[Route]:
    """One route per schema path, with the methods the schema lists for it."""
    routes = []
    for path, operations in schema()["paths"].items():
        kwargs = tuple(re.findall(r"{(\w+)}", path))
        match = resolve(re.sub(r"{\w+}", "1", path))
        if match.view_name in NOT_PROJECT_DATA:
            continue
        view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
        methods = tuple(m for m in ("get", "post", "put", "patch", "delete") if m in operations)
        route = Route(match.view_name, "api", path.lstrip("/"), kwargs, methods, view)
        for kwarg in kwargs:
            if kwarg in ("id", "pk") and match.view_name not in GLOBAL_ROUTES:
                model = _model(ROUTE_MODELS.get(match.view_name, "")) or _api_model(view)
                if model is not None:
                    route.models[kwarg] = (model, "pk")
            elif kwarg in KWARG_MODELS:
                label, lookup = KWARG_MODELS[kwarg]
                route.models[kwarg] = (_model(label), lookup)
        routes.append(route)
    return routes


def api_names_in_url_conf() -> set[str]:
    return {
        name
        for name, path, _ in url_conf()
        if path.startswith("api/v1/") and not name.endswith("api-root") and name not in NOT_PROJECT_DATA
    }


def all_routes() -> list[Route]:
    return page_routes() + api_routes()


def unfillable(routes) -> list[str]:
    """Routes with a keyword the suite cannot fill with an object (it must learn to)."""
    problems = []
    for route in routes:
        for kwarg in route.kwargs:
            if kwarg in route.models and route.models[kwarg][0] is not None:
                continue
            if kwarg in FIXED_KWARGS or (route.kind == "api" and route.name in GLOBAL_ROUTES):
                continue
            problems.append(f"{route}: no object for <{kwarg}>")
    return problems


def query_string(params: dict) -> str:
    return "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""


# --- what a response says -------------------------------------------------------------------


def body_text(response) -> str:
    """The response's text; a zip container (XLSX, DOCX) read entry by entry."""
    data = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"\n".join(archive.read(n) for n in archive.namelist())
    return data.decode("utf-8", errors="replace")


def fetch(client, method: str, url: str, body=None, api: bool = False):
    """``(response, text)``; ``(None, "raised ...")`` when the view raised (the test client
    re-raises what would be a 500). In a savepoint, so the test's transaction survives."""
    try:
        with transaction.atomic():
            if method in ("get", "delete"):
                response = getattr(client, method)(url)
            elif api:
                response = getattr(client, method)(url, body or {}, format="json")
            else:
                response = getattr(client, method)(url, body or {})
            return response, body_text(response)
    except Exception as exc:  # reported by the caller as a 500
        return None, f"raised {exc!r}"


# --- what an API write takes ----------------------------------------------------------------


@cache
def _request_serializers() -> dict:
    """``{(schema path, method): serializer}`` of every POST/PUT/PATCH: the serializer of the
    request body the schema documents (the JSON one when it names one per media type)."""
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    found = {}
    for path, path_regex, method, view in generator._get_paths_and_endpoints():
        if method not in ("POST", "PUT", "PATCH"):
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        inspector = view.schema
        inspector.path, inspector.path_regex, inspector.method, inspector.view = path, path_regex, method, view
        serializer = inspector.get_request_serializer()
        if isinstance(serializer, dict):
            serializer = serializer.get("application/json") or next(iter(serializer.values()))
        found[(path, method.lower())] = serializer() if isinstance(serializer, type) else serializer
    return found


def request_serializer(route, method):
    """The serializer of the operation's request body, or None."""
    return _request_serializers().get(("/" + route.path, method))


def relations(serializer) -> dict:
    """Writable fields naming a row of a project: ``{name: ("pk", model, many)}`` for a scoped
    primary key, ``{name: ("member", None, many)}`` for a member named by username."""
    found = {}
    for name, declared in getattr(serializer, "fields", {}).items():
        child = getattr(declared, "child_relation", None)
        target = child or declared
        if declared.read_only:
            continue
        if isinstance(target, ScopedPrimaryKeyField):
            found[name] = ("pk", target.model, child is not None)
        elif isinstance(target, MemberField):
            found[name] = ("member", None, child is not None)
    return found
