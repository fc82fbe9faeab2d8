"""A row of one project never links to a row of another (issue 10, "Keep it caught").

The route sweep asks for another project's rows in the URL; this asks for them in the body.
For every API write the schema documents (creates, PATCHes, actions), the fields that name a
row of a project (a scoped primary key, a member by username) are read from the operation's
request serializer, not from a list: each is filled in turn with a row of B, the others with
A's, around a body the schema says is complete (and naming A: its code, an object of A in the
URL, or another field). The caller is a PM of both projects, so
nothing stops the reference but the rule that a row links only rows of its own project: the
answer is a 4xx, never a 2xx, and B's rows are as before.

Figures of a run (printed with ``-s``): 76 references to B tried on 37 write operations; 0
accepted; 69 refused naming the field itself, the others on a sibling field (a case not in
the cycle) or by the object's state first (a sign-off already waiting, runs in progress).
"""

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from erpimpl.tests import sweep
from erpimpl.tests import sweep_data as data
from projects.roles import Role
from projects.services import token_create
from projects.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLES = {"string": "ZZ probe", "integer": 1, "number": 1, "boolean": False, "array": []}
FORMATS = {
    "date": "2026-03-02",
    "date-time": "2026-03-02T09:00:00Z",
    "email": "probe@example.test",
    "decimal": "1",
    "uri": "https://probe.example.test",
}


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = sweep.schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node:
        return _resolve(node["allOf"][0])
    return node


def complete_body(route, method) -> dict:
    """A value for every property the schema marks required in the JSON request body."""
    content = sweep.schema()["paths"]["/" + route.path][method].get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return {}
    body_schema = _resolve(content["application/json"]["schema"])
    body = {}
    for name in body_schema.get("required", ()):
        prop = _resolve(body_schema.get("properties", {}).get(name, {}))
        if "enum" in prop:
            body[name] = next(v for v in prop["enum"] if v not in ("", None))
        else:
            body[name] = FORMATS.get(prop.get("format"), SAMPLES.get(prop.get("type"), "ZZ probe"))
    return body


def _value(kind, model, project, member, many, nth=0):
    """A row of ``project`` (its ``nth``: two fields naming one model get different rows)."""
    if kind == "member":
        value = member.username
    else:
        rows = list(data.rows_of(model, project)[: nth + 1])
        value = rows[-1].pk if rows else None
    return [value] if many else value


def _error_fields(response) -> set:
    try:
        body = response.json()
    except ValueError:
        return set()
    return set(body) if isinstance(body, dict) else set()


def test_no_write_links_a_row_of_another_project(world, personas):
    both = MembershipFactory(project=world.a, role=Role.PM, user=UserFactory(username="pm_of_a_and_b")).user
    MembershipFactory(project=world.b, role=Role.PM, user=both)
    b_only = world.b.memberships.get(role=Role.CONSULTANT).user  # a member of B alone
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=both)[1]}")
    before = data.snapshot(world.b)

    tried, named, operations, accepted, crashed = 0, 0, 0, [], []
    for route in sweep.api_routes():
        for method in (m for m in route.methods if m in ("post", "put", "patch")):
            serializer = sweep.request_serializer(route, method)
            fields = sweep.relations(serializer) if serializer is not None else {}
            if not fields:
                continue
            declared = getattr(serializer, "fields", {})
            if not (route.object_kwargs or "project" in declared or len(fields) > 1):
                continue  # nothing in the request names A: a row of B acts in B (its PM may)
            operations += 1
            values = {k: data.values_of(route, k, world.a, owner=both)[0] for k in route.object_kwargs}
            url = route.url(values)
            body = complete_body(route, method)
            if "project" in declared:
                body["project"] = world.a.code
            if "version" in declared and route.object_kwargs:
                kwarg = route.object_kwargs[0]
                model, lookup = route.models[kwarg]
                body["version"] = model.objects.get(**{lookup: values[kwarg]}).version
            ours = {
                name: _value(kind, model, world.a, personas["pm"], many) for name, (kind, model, many) in fields.items()
            }
            for name, (kind, model, many) in fields.items():
                theirs = _value(kind, model, world.b, b_only, many)
                payload = {**body, **ours, name: theirs}
                tried += 1
                with transaction.atomic():
                    response, text = sweep.fetch(client, method, url, payload, api=True)
                    transaction.set_rollback(True)
                where = f"{method.upper()} {url} {name}={theirs}"
                if response is None or response.status_code >= 500:
                    crashed.append(f"{where}: {text if response is None else response.status_code}")
                elif response.status_code < 300:
                    accepted.append(f"{where}: {response.status_code} {text[:200]}")
                elif name in _error_fields(response):
                    named += 1

    print(
        f"\nreference sweep: {tried} references to B tried on {operations} write operations; {len(accepted)} "
        f"accepted; {named} refused naming the field itself"
    )
    assert data.snapshot(world.b) == before
    assert not crashed, "\n".join(crashed)
    assert not accepted, "rows of A linked to rows of B:\n" + "\n".join(accepted)
