"""Client roles never read an internal row (issue 10, "Keep it caught": the client-role sweep).

As the sponsor, the key user and the viewer of project A, every page and API operation that
answers a GET (lists, details, exports, the audit trail and each object's history) is read,
enumerated as in the isolation sweep (``sweep``: the URL conf and the OpenAPI schema) and
filled with A's rows, client-visible and internal ones. Exports are read in CSV and XLSX
(the workbook's XML read as text), every page of a paginated page, the API's lists in pages
of 200. No answer shows an internal row of A (``INTERNAL``) or an internal field (a
requirement's internal notes, a development estimate). Then a client-visible row of each
model with an internal flag, which the client roles have just read (and whose history has
an edit), is made internal through its service: the next sweep shows it nowhere, its
history included.

Figures of a run (printed with ``-s``): 275 routes enumerated, of which the GET ones are
read; 1,086 requests before (the 3 client roles, and A's PM as the control that the sweep
does read internal rows where they belong) and 807 after making 4 rows internal; 0 leaks.
"""

import itertools
from collections import Counter

import pytest

from erpimpl.tests import sweep
from erpimpl.tests import sweep_data as data
from projects.tests.test_audit_visibility import AUDITED

pytestmark = pytest.mark.django_db

CLIENTS = ("sponsor", "key_user", "viewer")


def reads(route, project, pm, also: dict) -> list[str]:
    """Every URL a GET of ``route`` takes for ``project``'s rows: each variant of each object
    keyword (``also``: more rows per model), each file format, the API in pages of 200."""
    if "get" not in route.methods:
        return []
    choices = []
    for kwarg in route.kwargs:
        if kwarg == "code" and route.kind == "page":
            choices.append([project.code])
        elif kwarg in route.models:
            model = route.models[kwarg][0]
            values = data.values_of(route, kwarg, project, owner=pm)
            choices.append(values + [str(pk) for pk in also.get(model, ()) if str(pk) not in values])
        elif kwarg in sweep.FIXED_KWARGS:
            choices.append(sweep.FIXED_KWARGS[kwarg])
        else:  # a firm-wide row (a methodology template): every one of them
            model = sweep._model(sweep.GLOBAL_ROUTES[route.name])
            choices.append([str(pk) for pk in model._default_manager.values_list("pk", flat=True)])
    queries = [{}]
    if route.kind == "api":
        operation = sweep.schema()["paths"]["/" + route.path]["get"]
        params = {p["name"]: p for p in operation.get("parameters", ()) if p["in"] == "query"}
        base = data.required_query(route, project)
        if "page_size" in params:
            base["page_size"] = 200
        formats = params.get("file_format", {}).get("schema", {}).get("enum")
        queries = [{**base, "file_format": f} for f in formats] if formats else [base]
    return [
        route.url(dict(zip(route.kwargs, combo, strict=True))) + sweep.query_string(query)
        for combo in itertools.product(*choices)
        for query in queries
    ]


class ClientSweep:
    """GETs as ``personas``: the client roles must not read ``markers``; what each persona
    reads of ``watch`` is counted (the sweep's control: it reads what it should)."""

    def __init__(self, world, markers, watch=(), personas=CLIENTS):
        self.world, self.markers, self.watch, self.personas = world, markers, watch, personas
        self.requests, self.leaks, self.seen = 0, [], Counter()

    def read(self, persona, route, url):
        client = (self.world.pages if route.kind == "page" else self.world.api)[persona]
        self.requests += 1
        response, text = sweep.fetch(client, "get", url, api=route.kind == "api")
        if response is None or response.status_code >= 500:
            self.leaks.append(f"{persona} GET {url}: {text if response is None else response.status_code}")
            return
        for marker in self.markers if persona in CLIENTS else ():
            if marker in text:
                self.leaks.append(f"{persona} GET {url}: {response.status_code} shows {marker!r}")
        self.seen.update((persona, marker) for marker in self.watch if marker in text)
        if route.kind == "page" and "?" not in url:
            for extra in self.more_of(response):
                self.read(persona, route, url + extra)

    @staticmethod
    def more_of(response):
        """A download in the other formats; the next pages of a paginated page."""
        if response.has_header("Content-Disposition"):
            return [f"?file_format={f}" for f in sweep.FIXED_KWARGS["fmt"]]
        page = (response.context or {}).get("page_obj") if response.context is not None else None
        if page is not None and page.has_next():
            return [f"?page={n}" for n in range(2, page.paginator.num_pages + 1)]
        return []

    def run(self, routes, also):
        for route in routes:
            for url in reads(route, self.world.a, self.world.pm, also):
                for persona in self.personas:
                    self.read(persona, route, url)
        return self


def test_client_roles_never_read_internal_rows_even_made_internal_later(world):
    pm, routes = world.pm, sweep.all_routes()
    later = {}
    for audited in AUDITED:  # client-visible now, with an edit in its history
        obj = audited.create(world.a, pm, f"{data.LATER} {audited.label}")
        audited.update(obj, pm, title=f"{data.LATER} {audited.label} (edited)")
        later[audited] = obj
    also = {type(obj): [obj.pk] for obj in later.values()}
    internal = (data.INTERNAL, *data.ESTIMATE_TEXTS)
    visible_later = [f"{data.LATER} {a.label}" for a in AUDITED]
    firm_only = [f"{data.INTERNAL} {a.label}" for a in AUDITED] + [f"{data.INTERNAL} notes", data.ESTIMATE_TEXTS[0]]

    before = ClientSweep(world, internal, visible_later + firm_only, personas=(*CLIENTS, "pm")).run(routes, also)
    unseen = [(p, m) for p in CLIENTS for m in visible_later if not before.seen[(p, m)]]
    unseen += [("pm", m) for m in firm_only if not before.seen[("pm", m)]]
    assert not unseen, f"the sweep never read these rows where it should have: {unseen}"

    for audited, obj in later.items():
        audited.update(obj, pm, internal=True)
    after = ClientSweep(world, (*internal, data.LATER)).run(routes, also)

    print(
        f"\nclient sweep: {len(CLIENTS)} roles × {len(routes)} routes; {before.requests} requests before and "
        f"{after.requests} after making {len(later)} rows internal; "
        f"{len(before.leaks)} + {len(after.leaks)} leaks or errors"
    )
    assert not before.leaks, f"{len(before.leaks)} leaks:\n" + "\n".join(before.leaks[:80])
    assert not after.leaks, f"{len(after.leaks)} leaks once made internal:\n" + "\n".join(after.leaks[:80])
