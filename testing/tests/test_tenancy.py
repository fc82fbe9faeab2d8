"""Tenant scoping of the testing app: another project's rows never show in a list, and every
page, endpoint and action on one of them answers 404 (the seeded ``world`` is in ``conftest.py``)."""

import pytest
from django.urls import reverse

from projects.tests.isolation import assert_detail_hidden, assert_list_scoped, ids_in
from testing.models import Defect

MEMBERS = ["pm", "consultant", "sponsor", "key_user", "viewer"]


# --- API: lists -----------------------------------------------------------------------------

API_LISTS = [
    ("testing-api:case-list", "case"),
    ("testing-api:cycle-list", "cycle"),
    ("testing-api:execution-list", "run"),
    ("testing-api:defect-list", "defect"),
    ("testing-api:load-test-result-list", "load"),
]


@pytest.mark.parametrize(("route", "key"), API_LISTS)
def test_api_lists_show_only_the_callers_project(world, personas, api_client_for, route, key):
    mine, theirs = {world["mine"][key].pk}, {world["theirs"][key].pk}
    for name in MEMBERS:
        assert_list_scoped(api_client_for(personas[name]), reverse(route), mine=mine, theirs=theirs)
    assert_list_scoped(api_client_for(personas["outsider"]), reverse(route), mine=theirs, theirs=mine)
    tampered = api_client_for(personas["viewer"]).get(reverse(route), {"project": world["theirs"]["project"].code})
    assert tampered.status_code == 400


def test_api_filters_do_not_reach_other_projects(world, personas, api_client_for):
    client = api_client_for(personas["viewer"])
    url = reverse("testing-api:defect-list")
    assert client.get(url, {"cycle": world["theirs"]["cycle"].pk}).status_code == 400
    response = client.get(url, {"project": world["mine"]["project"].code, "severity": "major", "status": "new"})
    assert ids_in(response) == {world["mine"]["defect"].pk}
    assert ids_in(client.get(url, {"severity": "critical"})) == set()


def test_traceability_api_is_scoped(world, personas, api_client_for):
    url = reverse("testing-api:traceability-list")
    assert api_client_for(personas["viewer"]).get(url, {"project": world["mine"]["project"].code}).status_code == 200
    assert api_client_for(personas["outsider"]).get(url, {"project": world["mine"]["project"].code}).status_code == 404
    assert api_client_for(personas["viewer"]).get(url).status_code == 400
    assert api_client_for().get(url, {"project": world["mine"]["project"].code}).status_code in (401, 403)


# --- API: details and actions of another project answer 404 ----------------------------------


def _api_targets(w):
    return [
        (reverse("testing-api:case-detail", args=[w["case"].pk]), ("get", "patch", "delete")),
        (reverse("testing-api:cycle-detail", args=[w["cycle"].pk]), ("get", "patch", "delete")),
        (reverse("testing-api:cycle-summary", args=[w["cycle"].pk]), ("get",)),
        (reverse("testing-api:cycle-cases", args=[w["cycle"].pk]), ("get",)),
        (reverse("testing-api:cycle-add-cases", args=[w["cycle"].pk]), ("post",)),
        (reverse("testing-api:cycle-assign", args=[w["cycle"].pk]), ("post",)),
        (reverse("testing-api:cycle-request-signoff", args=[w["cycle"].pk]), ("post",)),
        (reverse("testing-api:cycle-signoff", args=[w["cycle"].pk]), ("post",)),
        (reverse("testing-api:execution-detail", args=[w["run"].pk]), ("get",)),
        (reverse("testing-api:execution-record-step", args=[w["run"].pk]), ("post",)),
        (reverse("testing-api:execution-finish", args=[w["run"].pk]), ("post",)),
        (reverse("testing-api:execution-evidence", args=[w["run"].pk]), ("post",)),
        (reverse("testing-api:defect-detail", args=[w["defect"].pk]), ("get", "patch")),
        (reverse("testing-api:defect-transition", args=[w["defect"].pk]), ("post",)),
        (reverse("testing-api:defect-comment", args=[w["defect"].pk]), ("post",)),
        (reverse("testing-api:load-test-result-detail", args=[w["load"].pk]), ("get",)),
    ]


def test_outsider_gets_404_on_every_detail_and_action(world, personas, api_client_for):
    client = api_client_for(personas["outsider"])
    for url, methods in _api_targets(world["mine"]):
        assert_detail_hidden(client, url, methods=methods)
    # and the outsider's own objects are reachable
    assert client.get(reverse("testing-api:defect-detail", args=[world["theirs"]["defect"].pk])).status_code == 200


def test_outsider_cannot_point_at_another_projects_rows(world, personas, api_client_for):
    client = api_client_for(personas["outsider"])
    mine, theirs = world["mine"], world["theirs"]
    start = client.post(
        reverse("testing-api:execution-list"), {"cycle": mine["cycle"].pk, "case": mine["case"].pk}, format="json"
    )
    assert start.status_code == 400
    defect = client.post(
        reverse("testing-api:defect-list"),
        {"project": theirs["project"].code, "title": "x", "step_result": mine["step"].pk},
        format="json",
    )
    assert defect.status_code == 400 and "step_result" in defect.json()
    add = client.post(
        reverse("testing-api:cycle-add-cases", args=[theirs["cycle"].pk]), {"cases": [mine["case"].pk]}, format="json"
    )
    assert add.status_code == 400


# --- pages: another project's objects answer 404 --------------------------------------------


def _page_targets(w):
    code = w["project"].code
    return [
        ("get", reverse("testing:case_detail", args=[code, w["case"].pk])),
        ("get", reverse("testing:case_edit", args=[code, w["case"].pk])),
        ("post", reverse("testing:case_delete", args=[code, w["case"].pk])),
        ("get", reverse("testing:cycle_detail", args=[code, w["cycle"].pk])),
        ("get", reverse("testing:cycle_edit", args=[code, w["cycle"].pk])),
        ("post", reverse("testing:cycle_status", args=[code, w["cycle"].pk])),
        ("post", reverse("testing:cycle_add_cases", args=[code, w["cycle"].pk])),
        ("post", reverse("testing:cycle_assign", args=[code, w["cycle"].pk, w["cc"].pk])),
        ("post", reverse("testing:cycle_signoff_request", args=[code, w["cycle"].pk])),
        ("get", reverse("testing:cycle_signoff", args=[code, w["cycle"].pk])),
        ("post", reverse("testing:execution_start", args=[code, w["cc"].pk])),
        ("get", reverse("testing:execution_detail", args=[code, w["run"].pk])),
        ("post", reverse("testing:execution_step", args=[code, w["run"].pk, 1])),
        ("post", reverse("testing:execution_finish", args=[code, w["run"].pk])),
        ("post", reverse("testing:evidence_upload", args=[code, w["run"].pk])),
        ("post", reverse("testing:execution_defect", args=[code, w["run"].pk])),
        ("get", reverse("testing:evidence_download", args=[code, w["evidence"].pk])),
        ("get", reverse("testing:defect_detail", args=[code, w["defect"].pk])),
        ("post", reverse("testing:defect_edit", args=[code, w["defect"].pk])),
        ("post", reverse("testing:defect_transition", args=[code, w["defect"].pk])),
        ("post", reverse("testing:defect_comment", args=[code, w["defect"].pk])),
        ("get", reverse("testing:load_report_download", args=[code, w["load"].pk])),
        ("get", reverse("testing:case_list", args=[code])),
        ("get", reverse("testing:case_create", args=[code])),
        ("get", reverse("testing:cycle_list", args=[code])),
        ("get", reverse("testing:cycle_create", args=[code])),
        ("get", reverse("testing:defect_list", args=[code])),
        ("get", reverse("testing:defect_create", args=[code])),
        ("get", reverse("testing:load_result_list", args=[code])),
        ("get", reverse("testing:load_result_create", args=[code])),
        ("get", reverse("testing:traceability", args=[code])),
        ("get", reverse("testing:traceability_export", args=[code])),
        ("get", reverse("testing-portal:uat_home", args=[code])),
        ("post", reverse("testing-portal:execution_start", args=[code, w["cc"].pk])),
        ("get", reverse("testing-portal:execution_detail", args=[code, w["run"].pk])),
        ("post", reverse("testing-portal:execution_step", args=[code, w["run"].pk, 1])),
        ("post", reverse("testing-portal:execution_finish", args=[code, w["run"].pk])),
        ("post", reverse("testing-portal:evidence_upload", args=[code, w["run"].pk])),
        ("post", reverse("testing-portal:execution_defect", args=[code, w["run"].pk])),
        ("get", reverse("testing-portal:evidence_download", args=[code, w["evidence"].pk])),
        ("get", reverse("testing-portal:cycle_signoff", args=[code, w["cycle"].pk])),
        ("post", reverse("testing-portal:defect_transition", args=[code, w["defect"].pk])),
    ]


def test_outsider_gets_404_on_every_page(world, personas, client):
    client.force_login(personas["outsider"])
    for method, url in _page_targets(world["mine"]):
        assert getattr(client, method)(url).status_code == 404, url


def test_a_members_url_with_another_projects_object_id_is_404(world, personas, client):
    """The project in the URL is mine, the object id is theirs: still 404."""
    client.force_login(personas["pm"])
    code, theirs = world["mine"]["project"].code, world["theirs"]
    for url in (
        reverse("testing:case_detail", args=[code, theirs["case"].pk]),
        reverse("testing:execution_detail", args=[code, theirs["run"].pk]),
        reverse("testing:evidence_download", args=[code, theirs["evidence"].pk]),
        reverse("testing:defect_detail", args=[code, theirs["defect"].pk]),
        reverse("testing-portal:cycle_signoff", args=[code, theirs["cycle"].pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_defect_severity_filter_counts(world, personas, api_client_for):
    Defect.objects.filter(pk=world["mine"]["defect"].pk).update(severity="critical")
    response = api_client_for(personas["sponsor"]).get(reverse("testing-api:defect-list"), {"severity": "critical"})
    assert response.json()["count"] == 1
