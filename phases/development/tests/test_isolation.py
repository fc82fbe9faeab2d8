"""Tenant isolation and the role matrix for every page and endpoint of the development app."""

import pytest
from django.urls import reverse

from phases.development.models import DevelopmentItem, Release
from phases.development.tests.factories import DevelopmentItemFactory, EnvironmentFactory, ReleaseFactory
from projects.tests.isolation import api_url, assert_detail_hidden, assert_list_scoped, matrix_cases

COVERED_ROUTES = {
    "development:board",
    "development:item_list",
    "development:item_create",
    "development:item_detail",
    "development:item_edit",
    "development:item_move",
    "development:item_delete",
    "development:environment_list",
    "development:environment_create",
    "development:environment_edit",
    "development:environment_delete",
    "development:release_list",
    "development:release_create",
    "development:release_detail",
    "development:release_edit",
    "development:release_transport",
    "development:release_delete",
    "development-portal:board",
    "development-api:item-list",
    "development-api:item-detail",
    "development-api:item-transition",
    "development-api:environment-list",
    "development-api:environment-detail",
    "development-api:release-list",
    "development-api:release-detail",
    "development-api:release-transport",
}

S = DevelopmentItem.Status
PERSONAS = ["pm", "consultant", "sponsor", "key_user", "viewer", "outsider"]
EDITORS = {"pm", "consultant"}

# --- the role matrix: every page and endpoint, every persona ------------------------------

#: action: expected status per persona. The firm's roles (pm, consultant) build: they
#: create, edit, move and transport; every member reads (the portal board too); the outsider
#: gets 404 on the project's objects, sees only its own rows in lists, and cannot even name
#: the project when creating (400).
# fmt: off
MATRIX = {
    # API
    "api-item_list":            {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 200},
    "api-item_retrieve":        {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "api-item_create":          {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "api-item_update":          {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "api-item_transition":      {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "api-item_destroy":         {"pm": 204, "consultant": 204, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "api-environment_list":     {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 200},
    "api-environment_retrieve": {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "api-environment_create":   {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "api-environment_update":   {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "api-release_list":         {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 200},
    "api-release_retrieve":     {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "api-release_create":       {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "api-release_transport":    {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    # pages: reading
    "board":                    {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "item_list":                {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "item_detail":              {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "environment_list":         {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "release_list":             {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "release_detail":           {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "portal-board":             {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    # pages: forms
    "item_create":              {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "item_edit":                {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "environment_create":       {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "environment_edit":         {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "release_create":           {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "release_edit":             {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    # pages: actions
    "item_move":                {"pm": 302, "consultant": 302, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "release_transport":        {"pm": 302, "consultant": 302, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "item_delete":              {"pm": 302, "consultant": 302, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "release_delete":           {"pm": 302, "consultant": 302, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "environment_delete":       {"pm": 302, "consultant": 302, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
}
# fmt: on


def _mine(w):
    m = w["mine"]
    return m["project"].code, m["items"][0], m["items"][1], m["envs"][0], m["envs"][1], m["release"]


def _page(name, w, *pks):
    return reverse(f"development:{name}", args=[w["mine"]["project"].code, *pks])


#: action: how to ask for it, ``(client, world) -> response``. The client is signed in
#: for pages (session) and for the API (forced authentication).
REQUESTS = {
    "api-item_list": lambda c, w: c.get(reverse("development-api:item-list")),
    "api-item_retrieve": lambda c, w: c.get(api_url("development-api:item-detail", _mine(w)[1].pk)),
    "api-item_create": lambda c, w: c.post(
        reverse("development-api:item-list"), {"project": _mine(w)[0], "type": "form", "title": "Phiếu nhập kho"}
    ),
    "api-item_update": lambda c, w: c.patch(
        api_url("development-api:item-detail", _mine(w)[1].pk),
        {"version": _mine(w)[1].version, "title": "Renamed"},
        format="json",
    ),
    "api-item_transition": lambda c, w: c.post(
        api_url("development-api:item-transition", _mine(w)[1].pk),
        {"to_status": "in_development", "version": _mine(w)[1].version},
        format="json",
    ),
    "api-item_destroy": lambda c, w: c.delete(api_url("development-api:item-detail", _mine(w)[2].pk)),
    "api-environment_list": lambda c, w: c.get(reverse("development-api:environment-list")),
    "api-environment_retrieve": lambda c, w: c.get(api_url("development-api:environment-detail", _mine(w)[3].pk)),
    "api-environment_create": lambda c, w: c.post(
        reverse("development-api:environment-list"), {"project": _mine(w)[0], "name": "UAT", "kind": "uat"}
    ),
    "api-environment_update": lambda c, w: c.patch(
        api_url("development-api:environment-detail", _mine(w)[4].pk),
        {"version": _mine(w)[4].version, "software_version": "17.0.2"},
        format="json",
    ),
    "api-release_list": lambda c, w: c.get(reverse("development-api:release-list")),
    "api-release_retrieve": lambda c, w: c.get(api_url("development-api:release-detail", _mine(w)[5].pk)),
    "api-release_create": lambda c, w: c.post(
        reverse("development-api:release-list"),
        {
            "project": _mine(w)[0],
            "title": "Hotfix",
            "source_environment": _mine(w)[3].pk,
            "target_environment": _mine(w)[4].pk,
        },
        format="json",
    ),
    "api-release_transport": lambda c, w: c.post(
        api_url("development-api:release-transport", _mine(w)[5].pk), {"version": _mine(w)[5].version}, format="json"
    ),
    "board": lambda c, w: c.get(_page("board", w)),
    "item_list": lambda c, w: c.get(_page("item_list", w)),
    "item_detail": lambda c, w: c.get(_page("item_detail", w, _mine(w)[1].pk)),
    "environment_list": lambda c, w: c.get(_page("environment_list", w)),
    "release_list": lambda c, w: c.get(_page("release_list", w)),
    "release_detail": lambda c, w: c.get(_page("release_detail", w, _mine(w)[5].pk)),
    "portal-board": lambda c, w: c.get(reverse("development-portal:board", args=[_mine(w)[0]])),
    "item_create": lambda c, w: c.get(_page("item_create", w)),
    "item_edit": lambda c, w: c.get(_page("item_edit", w, _mine(w)[1].pk)),
    "environment_create": lambda c, w: c.get(_page("environment_create", w)),
    "environment_edit": lambda c, w: c.get(_page("environment_edit", w, _mine(w)[3].pk)),
    "release_create": lambda c, w: c.get(_page("release_create", w)),
    "release_edit": lambda c, w: c.get(_page("release_edit", w, _mine(w)[5].pk)),
    "item_move": lambda c, w: c.post(
        _page("item_move", w, _mine(w)[1].pk), {"to_status": "cancelled", "version": _mine(w)[1].version}
    ),
    "release_transport": lambda c, w: c.post(
        _page("release_transport", w, _mine(w)[5].pk), {"version": _mine(w)[5].version}
    ),
    "item_delete": lambda c, w: c.post(_page("item_delete", w, _mine(w)[2].pk)),
    "release_delete": lambda c, w: c.post(_page("release_delete", w, _mine(w)[5].pk)),
    "environment_delete": lambda c, w: c.post(_page("environment_delete", w, _mine(w)[3].pk)),
}


def test_every_action_of_the_matrix_has_a_request():
    assert set(REQUESTS) == set(MATRIX)


@pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
def test_role_matrix(action, persona, expected, world, client_of):
    response = REQUESTS[action](client_of(persona), world)
    assert response.status_code == expected, response.content[:500]


@pytest.mark.parametrize("persona", PERSONAS)
def test_moves_and_transports_take_effect_only_for_editors(persona, world, client_of):
    client = client_of(persona)
    _code, item, _ready, _dev, _test, release = _mine(world)
    REQUESTS["item_move"](client, world)
    REQUESTS["api-release_transport"](client, world)
    item.refresh_from_db()
    release.refresh_from_db()
    assert (item.status == S.CANCELLED) == (persona in EDITORS)
    assert (release.status == Release.Status.TRANSPORTED) == (persona in EDITORS)


@pytest.fixture
def world(project, other_project, consultant):
    """Equal data in both projects: environments, items (one ready), a release."""
    data = {}
    for key, proj in (("mine", project), ("theirs", other_project)):
        dev = EnvironmentFactory(project=proj, name="DEV", order=1)
        test = EnvironmentFactory(project=proj, name="TEST", order=2, kind="test")
        items = [
            DevelopmentItemFactory(project=proj, assignee=consultant if proj == project else None),
            DevelopmentItemFactory(project=proj, status=S.DEV_TESTED),
        ]
        release = ReleaseFactory(project=proj, source_environment=dev, target_environment=test, items=[items[1]])
        data[key] = {"envs": [dev, test], "items": items, "release": release, "project": proj}
    return data


# --- API: isolation ---------------------------------------------------------------------

API_LISTS = [
    ("development-api:item-list", "items"),
    ("development-api:environment-list", "envs"),
    ("development-api:release-list", "release"),
]


def _ids(value):
    return {o.pk for o in value} if isinstance(value, list) else {value.pk}


@pytest.mark.parametrize(("route", "key"), API_LISTS)
def test_api_lists_show_only_the_callers_project(world, personas, api_client_for, route, key):
    mine, theirs = _ids(world["mine"][key]), _ids(world["theirs"][key])
    for name in ("pm", "consultant", "sponsor", "key_user", "viewer"):
        assert_list_scoped(api_client_for(personas[name]), reverse(route), mine=mine, theirs=theirs)
    # ``?project=<other>`` tampering is a 400, never the other project's rows.
    response = api_client_for(personas["viewer"]).get(reverse(route), {"project": world["theirs"]["project"].code})
    assert response.status_code == 400
    assert_list_scoped(api_client_for(personas["outsider"]), reverse(route), mine=theirs, theirs=mine)


def test_api_details_and_actions_of_another_project_answer_404(world, outsider, api_client_for):
    client = api_client_for(outsider)
    item, release, env = world["mine"]["items"][0], world["mine"]["release"], world["mine"]["envs"][0]
    assert_detail_hidden(client, api_url("development-api:item-detail", item.pk))
    assert_detail_hidden(client, api_url("development-api:environment-detail", env.pk))
    assert_detail_hidden(client, api_url("development-api:release-detail", release.pk))
    response = client.post(
        api_url("development-api:item-transition", item.pk), {"to_status": "cancelled", "version": 1}, format="json"
    )
    assert response.status_code == 404
    response = client.post(api_url("development-api:release-transport", release.pk), {"version": 1}, format="json")
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == S.DESIGNED


def test_api_refuses_links_to_another_projects_objects(world, consultant, api_client_for):
    foreign_env = world["theirs"]["envs"][0]
    response = api_client_for(consultant).post(
        reverse("development-api:item-list"),
        {
            "project": world["mine"]["project"].code,
            "type": "report",
            "title": "X",
            "target_environment": foreign_env.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "target_environment" in response.json()


def test_anonymous_gets_401(world, api_client_for):
    assert api_client_for().get(reverse("development-api:item-list")).status_code == 401


READ_PAGES = ["board", "item_list", "item_detail", "environment_list", "release_list", "release_detail", "portal-board"]


def test_anonymous_is_sent_to_login(world, client):
    for action in READ_PAGES:
        response = REQUESTS[action](client, world)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], action


def test_pages_of_another_project_show_none_of_its_items(world, consultant, client):
    client.force_login(consultant)
    theirs = world["theirs"]["project"]
    assert client.get(reverse("development:board", args=[theirs.code])).status_code == 404
    body = client.get(reverse("development:item_list", args=[world["mine"]["project"].code])).content.decode()
    for item in world["theirs"]["items"]:
        assert item.title not in body
