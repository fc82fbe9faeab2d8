"""Role matrix of every go/no-go route (pages, portal, API), and another project's decision
answering 404 everywhere. ``DECISIONS_COVERED`` lists the route names for the lead's
``golive/tests/test_isolation.py``.

The matrix is ``{action: {persona: status}}`` (``projects.tests.isolation.matrix_cases``);
the decision is requested by the consultant, so the PM and the sponsor are its approvers.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from golive.services.decisions import decision_create
from golive.tests.factories_decisions import CLEAN, finished_run
from projects.tests.isolation import assert_detail_hidden, assert_list_scoped, matrix_cases

DECISIONS_COVERED = [
    "golive:decision_list",
    "golive:decision_create",
    "golive:decision_detail",
    "golive:decision_edit",
    "golive-portal:decision_home",
    "golive-portal:decision_detail",
    "golive-api:decision-list",
    "golive-api:decision-detail",
    "golive-api:decision-decide",
]


def _cells(pm, consultant, sponsor, key_user, viewer, outsider):
    return dict(pm=pm, consultant=consultant, sponsor=sponsor, key_user=key_user, viewer=viewer, outsider=outsider)


EVERY_MEMBER = _cells(200, 200, 200, 200, 200, 404)
FIRM_PAGE = _cells(200, 200, 403, 403, 403, 404)
APPROVERS = _cells(200, 403, 200, 403, 403, 404)

MATRIX = {
    "golive:decision_list": EVERY_MEMBER,
    "golive:decision_create": FIRM_PAGE,
    "golive:decision_create-post": _cells(302, 302, 403, 403, 403, 404),
    "golive:decision_detail": EVERY_MEMBER,
    # an empty decide form: re-rendered with its errors for an approver, refused for the rest
    "golive:decision_detail-post": APPROVERS,
    "golive:decision_edit": FIRM_PAGE,
    "golive-portal:decision_home": EVERY_MEMBER,
    "golive-portal:decision_detail": EVERY_MEMBER,
    "golive-portal:decision_detail-post": APPROVERS,
    "api:list": _cells(200, 200, 200, 200, 200, 200),
    "api:detail": EVERY_MEMBER,
    "api:create": _cells(201, 201, 403, 403, 403, 400),
    "api:update": _cells(200, 200, 403, 403, 403, 404),
    "api:decide": APPROVERS,
    # requested by the PM: the PM may not decide their own request
    "api:decide-requested-by-pm": _cells(403, 403, 200, 403, 403, 404),
}


def _decision(project, by):
    run = finished_run(project, CLEAN)
    return decision_create(project=project, by=by, meeting_at=timezone.now() + timedelta(days=1), readiness_run=run)


@pytest.fixture
def world(project, other_project, personas):
    theirs_pm = personas["outsider"]
    return {
        "project": project,
        "decision": _decision(project, personas["consultant"]),
        "run": finished_run(project, CLEAN),
        "people": personas,
        "theirs": _decision(other_project, theirs_pm),
    }


def _page(method, name, data=None):
    def request(client, w):
        args = [w["project"].code] + ([w["decision"].pk] if "detail" in name or "edit" in name else [])
        return getattr(client, method)(reverse(name, args=args), data or {})

    return request


def _create_post(client, w):
    url = reverse("golive:decision_create", args=[w["project"].code])
    return client.post(url, {"meeting_at": "2027-01-10T09:00", "readiness_run": w["run"].pk})


def _api_create(client, w):
    body = {"project": w["project"].code, "meeting_at": timezone.now().isoformat(), "readiness_run": w["run"].pk}
    return client.post(reverse("golive-api:decision-list"), body, format="json")


def _api_update(client, w):
    url = reverse("golive-api:decision-detail", args=[w["decision"].pk])
    return client.patch(url, {"version": w["decision"].version, "conditions": "Điều kiện"}, format="json")


def _api_decide(client, w):
    return client.post(reverse("golive-api:decision-decide", args=[w["decision"].pk]), {"go": False}, format="json")


def _api_decide_requested_by_pm(client, w):
    decision = _decision(w["project"], w["people"]["pm"])
    return client.post(reverse("golive-api:decision-decide", args=[decision.pk]), {"go": False}, format="json")


REQUESTS = {
    "golive:decision_list": _page("get", "golive:decision_list"),
    "golive:decision_create": _page("get", "golive:decision_create"),
    "golive:decision_create-post": _create_post,
    "golive:decision_detail": _page("get", "golive:decision_detail"),
    "golive:decision_detail-post": _page("post", "golive:decision_detail"),
    "golive:decision_edit": _page("get", "golive:decision_edit"),
    "golive-portal:decision_home": _page("get", "golive-portal:decision_home"),
    "golive-portal:decision_detail": _page("get", "golive-portal:decision_detail"),
    "golive-portal:decision_detail-post": _page("post", "golive-portal:decision_detail"),
    "api:list": lambda client, w: client.get(reverse("golive-api:decision-list")),
    "api:detail": lambda client, w: client.get(reverse("golive-api:decision-detail", args=[w["decision"].pk])),
    "api:create": _api_create,
    "api:update": _api_update,
    "api:decide": _api_decide,
    "api:decide-requested-by-pm": _api_decide_requested_by_pm,
}


def test_every_action_of_the_matrix_has_a_request():
    assert set(MATRIX) == set(REQUESTS)


@pytest.mark.django_db
@pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
def test_role_matrix(action, persona, expected, world, client_of):
    response = REQUESTS[action](client_of(persona), world)
    assert response.status_code == expected, response.content[:500]


@pytest.mark.django_db
def test_another_projects_decision_is_hidden(world, client_of):
    theirs = world["theirs"]
    for persona in ("pm", "consultant", "sponsor", "key_user", "viewer"):
        client = client_of(persona)
        assert_list_scoped(client, reverse("golive-api:decision-list"), mine={world["decision"].pk}, theirs={theirs.pk})
        assert_detail_hidden(client, reverse("golive-api:decision-detail", args=[theirs.pk]), methods=("get", "patch"))
        decide = client.post(reverse("golive-api:decision-decide", args=[theirs.pk]), {"go": True}, format="json")
        assert decide.status_code == 404
        pages = ["golive:decision_detail", "golive-portal:decision_detail"]
        if persona in ("pm", "consultant"):  # the edit page refuses client roles (403) before any lookup
            pages.append("golive:decision_edit")
        for name in pages:
            # their decision under our project's code, and their project's code: both 404
            assert client.get(reverse(name, args=[world["project"].code, theirs.pk])).status_code == 404
            assert client.get(reverse(name, args=[theirs.project.code, theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.outcome == "pending" and theirs.conditions == ""


@pytest.mark.django_db
def test_covered_routes_are_exactly_the_routes_of_decisions():
    from django.urls import get_resolver

    names = set()

    def walk(resolver, ns=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry, f"{ns}{entry.namespace}:" if entry.namespace else ns)
            elif entry.name:
                names.add(f"{ns}{entry.name}")

    walk(get_resolver())
    ours = {n for n in names if n.startswith(("golive:decision", "golive-portal:decision", "golive-api:decision"))}
    assert ours == set(DECISIONS_COVERED)
