"""Tenant isolation and the role matrix for every page and endpoint of the development app."""

import pytest
from django.urls import reverse

from phases.development.models import DevelopmentItem, Release
from phases.development.tests.factories import DevelopmentItemFactory, EnvironmentFactory, ReleaseFactory
from projects.tests.isolation import api_url, assert_detail_hidden, assert_list_scoped

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


# --- API: role matrix ------------------------------------------------------------------


def _expected(persona, allowed_for):
    if persona == "outsider":
        return 404
    return 200 if persona in allowed_for else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_role_matrix_reads(world, personas, api_client_for, persona):
    client = api_client_for(personas[persona])
    item, env, release = world["mine"]["items"][0], world["mine"]["envs"][0], world["mine"]["release"]
    for url in (
        api_url("development-api:item-detail", item.pk),
        api_url("development-api:environment-detail", env.pk),
        api_url("development-api:release-detail", release.pk),
    ):
        assert client.get(url).status_code == (404 if persona == "outsider" else 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_role_matrix_item_writes(world, personas, api_client_for, persona):
    client = api_client_for(personas[persona])
    project = world["mine"]["project"]
    item = world["mine"]["items"][0]
    created = client.post(
        reverse("development-api:item-list"), {"project": project.code, "type": "form", "title": "Phiếu nhập kho"}
    )
    expected_create = 201 if persona in EDITORS else (400 if persona == "outsider" else 403)
    assert created.status_code == expected_create, created.content
    patched = client.patch(
        api_url("development-api:item-detail", item.pk), {"version": item.version, "title": "Renamed"}, format="json"
    )
    assert patched.status_code == _expected(persona, EDITORS)
    item.refresh_from_db()
    moved = client.post(
        api_url("development-api:item-transition", item.pk),
        {"to_status": "in_development", "version": item.version},
        format="json",
    )
    assert moved.status_code == _expected(persona, EDITORS)
    deleted = client.delete(api_url("development-api:item-detail", world["mine"]["items"][1].pk))
    assert deleted.status_code == (204 if persona in EDITORS else _expected(persona, EDITORS))


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_role_matrix_environment_and_release_writes(world, personas, api_client_for, persona):
    client = api_client_for(personas[persona])
    project = world["mine"]["project"]
    dev, test = world["mine"]["envs"]
    release = world["mine"]["release"]
    created = client.post(
        reverse("development-api:environment-list"), {"project": project.code, "name": "UAT", "kind": "uat"}
    )
    assert created.status_code == (201 if persona in EDITORS else (400 if persona == "outsider" else 403))
    patched = client.patch(
        api_url("development-api:environment-detail", test.pk),
        {"version": test.version, "software_version": "17.0.2"},
        format="json",
    )
    assert patched.status_code == _expected(persona, EDITORS)
    new_release = client.post(
        reverse("development-api:release-list"),
        {"project": project.code, "title": "Hotfix", "source_environment": dev.pk, "target_environment": test.pk},
        format="json",
    )
    assert new_release.status_code == (201 if persona in EDITORS else 400 if persona == "outsider" else 403)
    transported = client.post(
        api_url("development-api:release-transport", release.pk), {"version": release.version}, format="json"
    )
    assert transported.status_code == _expected(persona, EDITORS)
    release.refresh_from_db()
    assert (release.status == Release.Status.TRANSPORTED) == (persona in EDITORS)


# --- pages ------------------------------------------------------------------------------


def _page_urls(world):
    project = world["mine"]["project"]
    item, env, release = world["mine"]["items"][0], world["mine"]["envs"][0], world["mine"]["release"]
    code = project.code
    reads = [
        reverse("development:board", args=[code]),
        reverse("development:item_list", args=[code]),
        reverse("development:item_detail", args=[code, item.pk]),
        reverse("development:environment_list", args=[code]),
        reverse("development:release_list", args=[code]),
        reverse("development:release_detail", args=[code, release.pk]),
        reverse("development-portal:board", args=[code]),
    ]
    edit_pages = [
        reverse("development:item_create", args=[code]),
        reverse("development:item_edit", args=[code, item.pk]),
        reverse("development:environment_create", args=[code]),
        reverse("development:environment_edit", args=[code, env.pk]),
        reverse("development:release_create", args=[code]),
        reverse("development:release_edit", args=[code, release.pk]),
    ]
    posts = [
        (reverse("development:item_move", args=[code, item.pk]), {"to_status": "cancelled", "version": item.version}),
        (reverse("development:release_transport", args=[code, release.pk]), {"version": release.version}),
        (reverse("development:item_delete", args=[code, world["mine"]["items"][1].pk]), {}),
        (reverse("development:release_delete", args=[code, release.pk]), {}),
        (reverse("development:environment_delete", args=[code, env.pk]), {}),
    ]
    return reads, edit_pages, posts


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_role_matrix(world, personas, client, persona):
    client.force_login(personas[persona])
    reads, edit_pages, posts = _page_urls(world)
    for url in reads:
        assert client.get(url).status_code == (404 if persona == "outsider" else 200), url
    for url in edit_pages:
        expected = 404 if persona == "outsider" else 200 if persona in EDITORS else 403
        assert client.get(url).status_code == expected, url
    for url, data in posts:
        expected = 404 if persona == "outsider" else 302 if persona in EDITORS else 403
        assert client.post(url, data).status_code == expected, url
    item = world["mine"]["items"][0]
    item.refresh_from_db()
    assert (item.status == S.CANCELLED) == (persona in EDITORS)


def test_anonymous_is_sent_to_login(world, client):
    reads, _, _ = _page_urls(world)
    for url in reads:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pages_of_another_project_show_none_of_its_items(world, consultant, client):
    client.force_login(consultant)
    theirs = world["theirs"]["project"]
    assert client.get(reverse("development:board", args=[theirs.code])).status_code == 404
    body = client.get(reverse("development:item_list", args=[world["mine"]["project"].code])).content.decode()
    for item in world["theirs"]["items"]:
        assert item.title not in body
