"""Role matrix of every readiness API route, and another project's criteria and runs answering
404 everywhere. ``API_COVERED`` lists the route names for the lead's
``golive/tests/test_isolation.py``.

The matrix is ``{action: {persona: status}}`` (``projects.tests.isolation.matrix_cases``);
cells in the order pm, consultant, sponsor, key_user, viewer, outsider (a consultant of
another project: this project's objects answer 404 to them, and naming this project in a
body answers 400). The manual criterion is owned by the key user, who may assess it.
"""

import pytest
from django.urls import get_resolver, reverse

from golive.models import ReadinessResult, ReadinessRun
from golive.tests.factories import ReadinessCriterionFactory
from projects.tests.isolation import assert_detail_hidden, assert_list_scoped, matrix_cases

pytestmark = pytest.mark.django_db

API_COVERED = [
    "golive-api:readiness-criterion-list",
    "golive-api:readiness-criterion-detail",
    "golive-api:readiness-criterion-assess",
    "golive-api:readiness-criterion-rules",
    "golive-api:readiness-run-list",
    "golive-api:readiness-run-detail",
    "golive-api:readiness-run-cancel",
    "golive-api:readiness-run-compare",
]


def _cells(pm, consultant, sponsor, key_user, viewer, outsider):
    return dict(pm=pm, consultant=consultant, sponsor=sponsor, key_user=key_user, viewer=viewer, outsider=outsider)


EVERY_MEMBER = _cells(200, 200, 200, 200, 200, 404)  # VIEW
FIRM_ONLY = _cells(200, 200, 404, 404, 404, 404)  # an internal row: client roles never see it
EVERYONE = _cells(200, 200, 200, 200, 200, 200)  # a list (the outsider's holds none of ours), the rules

MATRIX = {
    "criterion-list": EVERYONE,
    "criterion-rules": EVERYONE,
    "criterion-read": EVERY_MEMBER,
    "criterion-read-internal": FIRM_ONLY,
    "criterion-create": _cells(201, 201, 403, 403, 403, 400),
    "criterion-update": _cells(200, 200, 403, 403, 403, 404),
    "criterion-update-internal": _cells(200, 200, 404, 404, 404, 404),
    "criterion-delete": _cells(204, 204, 403, 403, 403, 404),
    # owned by the key user: the owner and the editors assess it; PARTICIPATE without being either: 403
    "criterion-assess": _cells(200, 200, 403, 200, 403, 404),
    "run-list": EVERYONE,
    "run-read": EVERY_MEMBER,
    "run-create": _cells(202, 202, 403, 403, 403, 400),
    "run-cancel": _cells(200, 200, 403, 403, 403, 404),  # a queued run
    "run-compare": EVERY_MEMBER,
}


def _finished_run(project, number, result="pass"):
    run = ReadinessRun.objects.create(
        project=project, number=number, status=ReadinessRun.Status.SUCCEEDED, score=100, recommendation="go"
    )
    ReadinessResult.objects.create(run=run, code="M-1", title="Bank accounts", category="testing", result=result)
    return run


@pytest.fixture
def world(project, other_project, personas):
    project.readiness_criteria.update(active=False)
    return {
        "project": project,
        "manual": ReadinessCriterionFactory(
            project=project, code="M-1", kind="manual", rule="", owner=personas["key_user"]
        ),
        "internal": ReadinessCriterionFactory(project=project, code="M-SECRET", internal=True),
        "older": _finished_run(project, 1, "fail"),
        "run": _finished_run(project, 2),
        "theirs": ReadinessCriterionFactory(project=other_project, code="T-1", kind="manual", rule=""),
        "their_run": _finished_run(other_project, 1),
    }


def _get(name, part=None, **params):
    def request(client, w):
        url = reverse(name, args=[w[part].pk]) if part else reverse(name)
        return client.get(url, {k: v(w) if callable(v) else v for k, v in params.items()})

    return request


def _criterion_create(client, w):
    body = {"project": w["project"].code, "code": "API-1", "title": "Tiêu chí", "category": "scope", "kind": "manual"}
    return client.post(reverse("golive-api:readiness-criterion-list"), body, format="json")


def _criterion_update(part):
    def request(client, w):
        url = reverse("golive-api:readiness-criterion-detail", args=[w[part].pk])
        return client.patch(url, {"version": w[part].version, "title": "Đổi tên"}, format="json")

    return request


def _criterion_delete(client, w):
    return client.delete(reverse("golive-api:readiness-criterion-detail", args=[w["manual"].pk]))


def _criterion_assess(client, w):
    url = reverse("golive-api:readiness-criterion-assess", args=[w["manual"].pk])
    return client.post(url, {"version": w["manual"].version, "met": True, "note": "Xong"}, format="json")


def _run_create(client, w):
    return client.post(reverse("golive-api:readiness-run-list"), {"project": w["project"].code}, format="json")


def _run_cancel(client, w):
    queued = ReadinessRun.objects.create(project=w["project"], number=3)
    return client.post(reverse("golive-api:readiness-run-cancel", args=[queued.pk]))


REQUESTS = {
    "criterion-list": _get("golive-api:readiness-criterion-list"),
    "criterion-rules": _get("golive-api:readiness-criterion-rules"),
    "criterion-read": _get("golive-api:readiness-criterion-detail", "manual"),
    "criterion-read-internal": _get("golive-api:readiness-criterion-detail", "internal"),
    "criterion-create": _criterion_create,
    "criterion-update": _criterion_update("manual"),
    "criterion-update-internal": _criterion_update("internal"),
    "criterion-delete": _criterion_delete,
    "criterion-assess": _criterion_assess,
    "run-list": _get("golive-api:readiness-run-list"),
    "run-read": _get("golive-api:readiness-run-detail", "run"),
    "run-create": _run_create,
    "run-cancel": _run_cancel,
    "run-compare": _get("golive-api:readiness-run-compare", "run", **{"with": lambda w: w["older"].pk}),
}


def test_every_action_of_the_matrix_has_a_request():
    assert set(MATRIX) == set(REQUESTS)


@pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
def test_role_matrix(action, persona, expected, world, client_of):
    response = REQUESTS[action](client_of(persona), world)
    assert response.status_code == expected, response.content[:500]


def test_another_projects_criteria_and_runs_are_hidden(world, client_of):
    theirs, their_run = world["theirs"], world["their_run"]
    for persona in ("pm", "consultant", "sponsor", "key_user", "viewer"):
        client = client_of(persona)
        mine = {world["manual"].pk} | ({world["internal"].pk} if persona in ("pm", "consultant") else set())
        assert_list_scoped(
            client,
            reverse("golive-api:readiness-criterion-list"),
            mine=mine,
            theirs={theirs.pk},
            params={"page_size": 200},
        )
        assert_list_scoped(
            client, reverse("golive-api:readiness-run-list"), mine={world["run"].pk}, theirs={their_run.pk}
        )
        assert_detail_hidden(client, reverse("golive-api:readiness-criterion-detail", args=[theirs.pk]))
        assert_detail_hidden(client, reverse("golive-api:readiness-run-detail", args=[their_run.pk]), methods=("get",))
        assess = reverse("golive-api:readiness-criterion-assess", args=[theirs.pk])
        assert client.post(assess, {"version": 1, "met": True}, format="json").status_code == 404
        cancel = reverse("golive-api:readiness-run-cancel", args=[their_run.pk])
        assert client.post(cancel).status_code == 404
        compare = reverse("golive-api:readiness-run-compare", args=[their_run.pk])
        assert client.get(compare, {"with": world["run"].pk}).status_code == 404
        compare_with_theirs = reverse("golive-api:readiness-run-compare", args=[world["run"].pk])
        assert client.get(compare_with_theirs, {"with": their_run.pk}).status_code == 404
        named = client.post(reverse("golive-api:readiness-run-list"), {"project": theirs.project.code}, format="json")
        assert named.status_code == 400 and "project" in named.json()
    theirs.refresh_from_db()
    assert (theirs.version, theirs.assessment) == (1, "not_assessed")
    assert not their_run.project.readiness_runs.exclude(pk=their_run.pk).exists()


def test_anonymous_gets_nothing(world, api_client_for):
    anonymous = api_client_for()
    for name in ("golive-api:readiness-criterion-list", "golive-api:readiness-run-list"):
        assert anonymous.get(reverse(name)).status_code in (401, 403)
    assert anonymous.get(reverse("golive-api:readiness-criterion-rules")).status_code in (401, 403)
    run = reverse("golive-api:readiness-run-detail", args=[world["run"].pk])
    assert anonymous.get(run).status_code in (401, 403)


def test_covered_routes_are_exactly_the_readiness_api_routes():
    names = set()

    def walk(resolver, ns=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry, f"{ns}{entry.namespace}:" if entry.namespace else ns)
            elif entry.name:
                names.add(f"{ns}{entry.name}")

    walk(get_resolver())
    ours = {n for n in names if n.startswith("golive-api:readiness-")}
    assert ours == set(API_COVERED)
