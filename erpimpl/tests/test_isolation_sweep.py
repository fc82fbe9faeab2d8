"""Cross-project isolation, swept over every route of the site (issue 10, "Keep it caught").

Projects A and B have members of every role and content of every app (``sweep_data``); each
text of B carries ``SECRET``. The routes come from the URL conf and the OpenAPI schema
(``sweep``), not from a list kept by hand. Each keyword naming an object is filled with B's
rows (both variants of a model with an internal flag; on a route naming two objects, also
B's object next to A's), with A's project code in the URL and with B's, and requested as
every role of A and as the outsider: pages with a session (GET, and an empty POST where the
view takes one), the API with a token (each method the schema lists, with an empty or
minimal body). Each answer is 404 and carries nothing of B; afterwards every row of B is as
it was. Lists and pages naming no object (A's code, or none) are read by every role too, and
show nothing of B.

Figures of a run (printed with ``-s``): 176 page routes and 167 API operations on 99 schema
paths enumerated; 4,178 requests (routes × fillings × 6 personas × methods: 1,567 page GETs,
1,309 page POSTs, 702 API GETs, 300 POSTs, 156 PATCHes, 144 DELETEs); 0 leaks, 0 5xx, no
row of B changed. The sweep took 71 s, the module about 100 s, on a shared 2-core machine.
"""

import itertools
from collections import Counter

import pytest
from django.db import transaction

from erpimpl.tests import sweep
from erpimpl.tests import sweep_data as data

pytestmark = pytest.mark.django_db

#: A keyword value no row has: the answer to it is what the route says about "no such object".
MISSING = {
    "pk": "987654321",
    "id": "987654321",
    "cc": "987654321",
    "name": "zz_missing",
    "token_key": "zz0missing",
    "run": "987654321",
    "project": "ZZ-NO-SUCH-PROJECT",
}
MISSING_CODE = "ZZ-NO-SUCH-PROJECT"

# Answers other than 404 that say nothing about the object. Each is accepted only when the same
# request naming no existing object gets the same answer (checked, not assumed):
# - 403: pages check the caller's capability on the URL's project (``ProjectAccessMixin``)
#   before they look the object up, so a role without it is refused whatever the id;
# - 405: the route does not take the method (a POST to a read-only page, a GET of a
#   POST-only action): Django and DRF answer before any lookup.
INDEPENDENT = {403, 405}
# - 302 on ``token_revoke``: it revokes only the caller's own token with that key and goes back
#   to the profile, whatever the key (a key of someone else's token changes nothing).
INDEPENDENT_ON = {"token_revoke": {302}}


# --- filling a route ------------------------------------------------------------------------


def fillings(route, target, home):
    """``(values, missing)`` pairs: the route's keywords naming ``target``'s objects (and, for a
    page, with ``home``'s code as well as ``target``'s), and the same naming no object."""
    objects = list(route.object_kwargs)
    fixed = [k for k in route.kwargs if k in sweep.FIXED_KWARGS]
    if not objects and "code" not in route.kwargs:
        return []
    sets = [{}]
    if objects:
        theirs = {k: data.values_of(route, k, target, other=home) for k in objects}
        sets = [dict(zip(objects, combo, strict=True)) for combo in itertools.product(*theirs.values())]
        if len(objects) > 1:  # B's object next to A's: a lookup must not trust the other id
            mine = {k: data.values_of(route, k, home)[0] for k in objects}
            sets += [{**mine, k: theirs[k][0]} for k in objects]
    result = []
    for base, extra in itertools.product(sets, itertools.product(*(sweep.FIXED_KWARGS[k] for k in fixed))):
        values = {**base, **dict(zip(fixed, extra, strict=True))}
        missing = {**values, **{k: MISSING.get(k, MISSING_CODE) for k in objects}}
        if route.kind == "page" and "code" in route.kwargs:
            if objects:  # A's code with B's objects: each object must be looked up in A
                result.append(({**values, "code": home.code}, {**missing, "code": home.code}))
            if base is sets[0] and extra == tuple(sweep.FIXED_KWARGS[k][0] for k in fixed):
                # B's code: the project gate answers before any object, once per route is enough
                result.append(({**values, "code": target.code}, {**missing, "code": MISSING_CODE}))
        else:
            result.append((values, missing))
    return result


def body_of(route, method, target):
    """An empty or minimal body: a version for an edit, B's project for a create."""
    if method in ("patch", "put"):
        return {"version": 1}
    if route.kind == "api" and method == "post" and not route.object_kwargs:
        return {"project": target.code}  # create something in B
    return {}


class Sweep:
    """Requests with their bookkeeping: counts, and every answer that leaks or fails."""

    def __init__(self, world):
        self.world, self.counts, self.failures, self._missing = world, Counter(), [], {}

    def request(self, persona, route, method, url, target):
        self.counts[(route.kind, method)] += 1
        client = (self.world.pages if route.kind == "page" else self.world.api)[persona]
        response, text = sweep.fetch(client, method, url, body_of(route, method, target), api=route.kind == "api")
        if response is None:
            self.failures.append(f"{persona} {method.upper()} {url}: {text}")
            return None, ""
        if response.status_code >= 500:
            self.failures.append(f"{persona} {method.upper()} {url}: {response.status_code}")
        if data.SECRET in text:
            self.failures.append(f"{persona} {method.upper()} {url}: {response.status_code} shows B's text")
        return response, text

    def expect_hidden(self, persona, route, method, values, missing, target):
        """``values`` name B's objects: 404, or an answer the route gives for any object."""
        response, _ = self.request(persona, route, method, route.url(values), target)
        if response is None or response.status_code == 404:
            return
        status = response.status_code
        if status in INDEPENDENT | INDEPENDENT_ON.get(route.name, set()):
            key = (persona, method, route.url(missing))
            if key not in self._missing:
                answer, _ = self.request(persona, route, method, route.url(missing), target)
                self._missing[key] = answer.status_code if answer is not None else None
            if self._missing[key] == status:
                return
        self.failures.append(f"{persona} {method.upper()} {route.url(values)}: {status}, not 404")


def test_every_route_is_enumerated_and_can_be_filled(world):
    """Pages and API operations of the URL conf and the schema, each object keyword fillable."""
    routes = sweep.all_routes()
    assert sweep.api_names_in_url_conf() == {r.name for r in routes if r.kind == "api"}
    problems = sweep.unfillable(routes)
    for route in routes:
        try:
            fillings(route, world.b, world.a)
            if route.kind == "api":
                data.required_query(route, world.b)
        except data.Unfillable as exc:
            problems.append(str(exc))
    assert not problems, "\n".join(problems)


def test_the_fillings_name_the_routes_objects(world):
    """The control of the sweep: filled with A's rows, every route finds them for A's PM (so
    the 404s of the sweep come from the lookup refusing B's rows, not from a wrong guess of
    the model). Writes run in a savepoint that is rolled back."""
    run, wrong = Sweep(world), []
    for route in sweep.all_routes():
        if not route.object_kwargs:
            continue
        values = {k: data.values_of(route, k, world.a, owner=world.pm)[0] for k in route.object_kwargs}
        values.update({k: sweep.FIXED_KWARGS[k][0] for k in route.kwargs if k in sweep.FIXED_KWARGS})
        if route.kind == "page" and "code" in route.kwargs:
            values["code"] = world.a.code
        for method in route.methods:
            with transaction.atomic():
                response, _ = run.request("pm", route, method, route.url(values), world.a)
                transaction.set_rollback(True)
            if response is not None and response.status_code == 404:
                wrong.append(f"{method.upper()} {route.url(values)} ({route.name}): 404 for A's PM")
    assert not run.failures, "\n".join(run.failures)
    assert not wrong, "the sweep fills these routes with the wrong rows:\n" + "\n".join(wrong)


def test_every_project_owned_model_has_rows_in_both_projects(world):
    empty = [
        f"{model._meta.label} in {p.code}"
        for model in data.project_owned_models()
        for p in (world.a, world.b)
        if not data.rows_of(model, p).exists()
    ]
    assert not empty, f"give sweep_data.fill a row of: {empty}"


def test_no_route_shows_or_changes_another_projects_data(world):
    before = data.snapshot(world.b)
    routes = sweep.all_routes()
    run = Sweep(world)
    for route in routes:
        for values, missing in fillings(route, world.b, world.a):
            for method, persona in itertools.product(route.methods, data.PERSONAS):
                run.expect_hidden(persona, route, method, values, missing, world.b)
        if route.object_kwargs:
            continue
        # a page or list naming no object (A's code, or none): it shows nothing of B
        url = route.read_url(world.a)
        for persona in data.PERSONAS:
            if "get" in route.methods:
                run.request(persona, route, "get", url, world.b)
                if route.kind == "api":  # A's list filtered on B (and whatever else it requires)
                    query = {**data.required_query(route, world.b), "project": world.b.code}
                    run.request(persona, route, "get", url + sweep.query_string(query), world.b)
            if route.kind == "api" and "post" in route.methods:
                response, _ = run.request(persona, route, "post", url, world.b)
                if response is not None and response.status_code < 300:
                    run.failures.append(f"{persona} POST {url} naming B: {response.status_code}")

    after = data.snapshot(world.b)
    changed = [label for label in before if before[label] != after[label]]
    total = sum(run.counts.values())
    print(
        f"\nisolation sweep: {sum(r.kind == 'page' for r in routes)} page routes, "
        f"{sum(len(r.methods) for r in routes if r.kind == 'api')} API operations on "
        f"{sum(r.kind == 'api' for r in routes)} schema paths; {total} requests {dict(run.counts)}; "
        f"{len(run.failures)} leaks or errors; B changed: {changed or 'nothing'}"
    )
    assert not changed, f"B's rows changed: {changed}"
    assert not run.failures, f"{len(run.failures)} of {total} requests:\n" + "\n".join(run.failures[:80])
