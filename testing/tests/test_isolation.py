"""Tenant isolation and the role matrix for every page and endpoint of the testing app.

None of the testing models carries an ``internal`` flag (test cases, runs and defects are
shared with the client team by design), so there is no internal row to hide from client roles.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from projects.tests.isolation import assert_detail_hidden, assert_list_scoped, ids_in
from testing import services
from testing.models import Cycle, Defect
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory, LoadTestResultFactory

COVERED_ROUTES = {
    "testing:case_list",
    "testing:case_create",
    "testing:case_detail",
    "testing:case_edit",
    "testing:case_delete",
    "testing:cycle_list",
    "testing:cycle_create",
    "testing:cycle_detail",
    "testing:cycle_edit",
    "testing:cycle_status",
    "testing:cycle_add_cases",
    "testing:cycle_assign",
    "testing:cycle_signoff_request",
    "testing:cycle_signoff",
    "testing:execution_start",
    "testing:execution_detail",
    "testing:execution_step",
    "testing:execution_finish",
    "testing:evidence_upload",
    "testing:execution_defect",
    "testing:evidence_download",
    "testing:defect_list",
    "testing:defect_create",
    "testing:defect_detail",
    "testing:defect_edit",
    "testing:defect_transition",
    "testing:defect_comment",
    "testing:load_result_list",
    "testing:load_result_create",
    "testing:load_report_download",
    "testing:traceability",
    "testing:traceability_export",
    "testing-portal:uat_home",
    "testing-portal:execution_start",
    "testing-portal:execution_detail",
    "testing-portal:execution_step",
    "testing-portal:execution_finish",
    "testing-portal:evidence_upload",
    "testing-portal:execution_defect",
    "testing-portal:evidence_download",
    "testing-portal:cycle_signoff",
    "testing-portal:defect_transition",
    "testing-api:case-list",
    "testing-api:case-detail",
    "testing-api:cycle-list",
    "testing-api:cycle-detail",
    "testing-api:cycle-add-cases",
    "testing-api:cycle-assign",
    "testing-api:cycle-request-signoff",
    "testing-api:cycle-signoff",
    "testing-api:cycle-summary",
    "testing-api:execution-list",
    "testing-api:execution-detail",
    "testing-api:execution-record-step",
    "testing-api:execution-finish",
    "testing-api:execution-evidence",
    "testing-api:defect-list",
    "testing-api:defect-detail",
    "testing-api:defect-transition",
    "testing-api:defect-comment",
    "testing-api:load-test-result-list",
    "testing-api:load-test-result-detail",
    "testing-api:traceability-list",
}

MEMBERS = ["pm", "consultant", "sponsor", "key_user", "viewer"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _seed(project, tester, assignee):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    cc = CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project, steps=2), assignee=assignee)
    run = services.execution_start(cycle_case=cc, by=tester)
    step = services.execution_record_step(execution=run, by=tester, order=1, status="failed")
    services.execution_finish(execution=run, by=tester)
    evidence = services.evidence_add(execution=run, by=tester, file=SimpleUploadedFile("a.png", PNG))
    defect = services.defect_create(project=project, by=tester, title="Lỗi", step_result=step)
    load = LoadTestResultFactory(
        project=project, recorded_by=tester, report=SimpleUploadedFile("r.csv", b"a,b\n"), report_name="r.csv"
    )
    return {
        "project": project,
        "cycle": cycle,
        "cc": cc,
        "case": cc.case,
        "run": run,
        "step": step,
        "evidence": evidence,
        "defect": defect,
        "load": load,
    }


@pytest.fixture
def world(project, other_project, personas):
    return {
        "mine": _seed(project, personas["key_user"], personas["key_user"]),
        "theirs": _seed(other_project, personas["outsider"], None),
    }


def test_covered_routes_are_exactly_the_apps_routes():
    names = set()

    def walk(resolver, ns=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry, f"{ns}{entry.namespace}:" if entry.namespace else ns)
            elif entry.name:
                names.add(f"{ns}{entry.name}")

    walk(get_resolver())
    ours = {n for n in names if n.split(":")[0] in {"testing", "testing-portal", "testing-api"}}
    ours.discard("testing-api:api-root")
    assert ours == COVERED_ROUTES


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


# --- role matrix: pages -----------------------------------------------------------------------

PAGE_MATRIX = {
    # route: roles allowed (others get 403)
    "testing:case_list": set(MEMBERS),
    "testing:cycle_list": set(MEMBERS),
    "testing:defect_list": set(MEMBERS),
    "testing:load_result_list": set(MEMBERS),
    "testing:traceability": set(MEMBERS),
    "testing:traceability_export": set(MEMBERS),
    "testing-portal:uat_home": set(MEMBERS),
    "testing:case_create": {"pm", "consultant"},
    "testing:cycle_create": {"pm", "consultant"},
    "testing:load_result_create": {"pm", "consultant"},
    "testing:defect_create": {"pm", "consultant", "sponsor", "key_user"},
}


@pytest.mark.parametrize("persona", MEMBERS)
@pytest.mark.parametrize("route", sorted(PAGE_MATRIX))
def test_page_role_matrix(world, personas, client, persona, route):
    client.force_login(personas[persona])
    response = client.get(reverse(route, args=[world["mine"]["project"].code]))
    assert response.status_code == (200 if persona in PAGE_MATRIX[route] else 403)


@pytest.mark.parametrize("persona", MEMBERS)
def test_object_pages_are_readable_by_every_member(world, personas, client, persona):
    client.force_login(personas[persona])
    w = world["mine"]
    code = w["project"].code
    for url in (
        reverse("testing:case_detail", args=[code, w["case"].pk]),
        reverse("testing:cycle_detail", args=[code, w["cycle"].pk]),
        reverse("testing:cycle_signoff", args=[code, w["cycle"].pk]),
        reverse("testing:execution_detail", args=[code, w["run"].pk]),
        reverse("testing:defect_detail", args=[code, w["defect"].pk]),
        reverse("testing:evidence_download", args=[code, w["evidence"].pk]),
        reverse("testing:load_report_download", args=[code, w["load"].pk]),
        reverse("testing-portal:execution_detail", args=[code, w["run"].pk]),
        reverse("testing-portal:evidence_download", args=[code, w["evidence"].pk]),
        reverse("testing-portal:cycle_signoff", args=[code, w["cycle"].pk]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", MEMBERS)
def test_page_writes_role_matrix(world, personas, client, persona):
    """POST pages: EDIT ones are 403 for client roles; PARTICIPATE ones are 403 for the viewer."""
    client.force_login(personas[persona])
    w = world["mine"]
    code = w["project"].code
    edit_posts = [
        reverse("testing:case_delete", args=[code, w["case"].pk]),
        reverse("testing:cycle_status", args=[code, w["cycle"].pk]),
        reverse("testing:cycle_add_cases", args=[code, w["cycle"].pk]),
        reverse("testing:cycle_assign", args=[code, w["cycle"].pk, w["cc"].pk]),
        reverse("testing:cycle_signoff_request", args=[code, w["cycle"].pk]),
        reverse("testing:defect_edit", args=[code, w["defect"].pk]),
    ]
    participate_posts = [
        reverse("testing:execution_step", args=[code, w["run"].pk, 1]),
        reverse("testing:execution_finish", args=[code, w["run"].pk]),
        reverse("testing:evidence_upload", args=[code, w["run"].pk]),
        reverse("testing:execution_defect", args=[code, w["run"].pk]),
        reverse("testing:defect_transition", args=[code, w["defect"].pk]),
        reverse("testing:defect_comment", args=[code, w["defect"].pk]),
        reverse("testing-portal:execution_start", args=[code, w["cc"].pk]),
        reverse("testing-portal:defect_transition", args=[code, w["defect"].pk]),
    ]
    for url in edit_posts:
        expected = {302} if persona in ("pm", "consultant") else {403}
        assert client.post(url).status_code in expected, (persona, url)
    for url in participate_posts:
        expected = {302} if persona != "viewer" else {403}
        assert client.post(url).status_code in expected, (persona, url)


# --- role matrix: API -------------------------------------------------------------------------

EXPECTED_API = {
    # action: {persona: status}
    "case-create": {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "case-update": {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "cycle-create": {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "cycle-add-cases": {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "execution-start": {"pm": 201, "consultant": 201, "sponsor": 400, "key_user": 201, "viewer": 403, "outsider": 400},
    "defect-create": {"pm": 201, "consultant": 201, "sponsor": 201, "key_user": 201, "viewer": 403, "outsider": 400},
    "defect-open": {"pm": 200, "consultant": 200, "sponsor": 400, "key_user": 400, "viewer": 403, "outsider": 404},
    "defect-comment": {"pm": 201, "consultant": 201, "sponsor": 201, "key_user": 201, "viewer": 403, "outsider": 404},
    "load-create": {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "request-signoff": {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "signoff": {"pm": 200, "consultant": 403, "sponsor": 200, "key_user": 403, "viewer": 403, "outsider": 404},
    "summary": {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
}


def _call(action, client, w, pm):
    code = w["project"].code
    if action == "case-create":
        body = {"project": code, "title": "Kiểm tra", "steps": [{"action": "a", "expected_result": "b"}]}
        return client.post(reverse("testing-api:case-list"), body, format="json")
    if action == "case-update":
        url = reverse("testing-api:case-detail", args=[w["case"].pk])
        return client.patch(url, {"version": w["case"].version, "title": "Đổi tên"}, format="json")
    if action == "cycle-create":
        return client.post(
            reverse("testing-api:cycle-list"), {"project": code, "name": "SIT 2", "type": "integration"}, format="json"
        )
    if action == "cycle-add-cases":
        case = CaseFactory(project=w["project"])
        return client.post(
            reverse("testing-api:cycle-add-cases", args=[w["cycle"].pk]), {"cases": [case.pk]}, format="json"
        )
    if action == "execution-start":
        cc = CycleCaseFactory(cycle=w["cycle"], case=CaseFactory(project=w["project"]), assignee=w["cc"].assignee)
        return client.post(
            reverse("testing-api:execution-list"), {"cycle": w["cycle"].pk, "case": cc.case.pk}, format="json"
        )
    if action == "defect-create":
        return client.post(
            reverse("testing-api:defect-list"), {"project": code, "title": "Lỗi in", "severity": "minor"}, format="json"
        )
    if action == "defect-open":
        return client.post(
            reverse("testing-api:defect-transition", args=[w["defect"].pk]), {"to_status": "open"}, format="json"
        )
    if action == "defect-comment":
        return client.post(
            reverse("testing-api:defect-comment", args=[w["defect"].pk]), {"body": "Ghi chú"}, format="json"
        )
    if action == "load-create":
        body = {
            "project": code,
            "scenario": "Đăng nhập",
            "virtual_users": 50,
            "duration_seconds": 300,
            "throughput_rps": "40.5",
            "p95_ms": 300,
            "p99_ms": 600,
            "error_rate": "0.1",
            "max_p95_ms": 500,
        }
        return client.post(reverse("testing-api:load-test-result-list"), body, format="json")
    if action == "request-signoff":
        return client.post(reverse("testing-api:cycle-request-signoff", args=[w["cycle"].pk]), {}, format="json")
    if action == "signoff":
        services.cycle_signoff_request(cycle=w["cycle"], by=pm)
        body = {"decision": "approved", "override": True, "override_reason": "Chấp nhận rủi ro"}
        return client.post(reverse("testing-api:cycle-signoff", args=[w["cycle"].pk]), body, format="json")
    if action == "summary":
        return client.get(reverse("testing-api:cycle-summary", args=[w["cycle"].pk]))
    raise AssertionError(action)


@pytest.mark.parametrize("persona", [*MEMBERS, "outsider"])
@pytest.mark.parametrize("action", sorted(EXPECTED_API))
def test_api_role_matrix(world, personas, api_client_for, persona, action):
    response = _call(action, api_client_for(personas[persona]), world["mine"], personas["pm"])
    assert response.status_code == EXPECTED_API[action][persona], response.content


def test_anonymous_gets_nothing(world, api_client_for, client):
    for route, _key in API_LISTS:
        assert api_client_for().get(reverse(route)).status_code in (401, 403)
    response = client.get(reverse("testing:case_list", args=[world["mine"]["project"].code]))
    assert response.status_code == 302


def test_defect_severity_filter_counts(world, personas, api_client_for):
    Defect.objects.filter(pk=world["mine"]["defect"].pk).update(severity="critical")
    response = api_client_for(personas["sponsor"]).get(reverse("testing-api:defect-list"), {"severity": "critical"})
    assert response.json()["count"] == 1
