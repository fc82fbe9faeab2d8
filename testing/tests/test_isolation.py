"""Tenant isolation: the role matrix of every page and endpoint of the testing app.

``MATRIX`` is ``{action: {persona: status}}`` and ``REQUESTS`` the one small request of each
action, parametrised by ``matrix_cases`` (a failure names the action and the persona). Rows of
another project answering 404 everywhere, and lists never showing them: ``test_tenancy.py``.

None of the testing models carries an ``internal`` flag (test cases, runs and defects are
shared with the client team by design), so there is no internal row to hide from client roles.
"""

import pytest
from django.urls import get_resolver, reverse

from projects.tests.isolation import matrix_cases
from testing import services
from testing.tests.factories import CaseFactory, CycleCaseFactory

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
    "testing-api:cycle-cases",
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


# --- the role matrix: {action: {persona: status}} and one small request per action ------------
#
# Cells in the order of ``PERSONAS``: pm, consultant, sponsor, key_user, viewer, outsider (a
# consultant of another project: every object of this project answers 404 to them).


def _cells(pm, consultant, sponsor, key_user, viewer, outsider):
    return {
        "pm": pm,
        "consultant": consultant,
        "sponsor": sponsor,
        "key_user": key_user,
        "viewer": viewer,
        "outsider": outsider,
    }


EVERY_MEMBER = _cells(200, 200, 200, 200, 200, 404)
FIRM_PAGE = _cells(200, 200, 403, 403, 403, 404)  # EDIT
PARTICIPANT_PAGE = _cells(200, 200, 200, 200, 403, 404)  # PARTICIPATE
FIRM_POST = _cells(302, 302, 403, 403, 403, 404)  # EDIT: done (or refused on the page), then back
PARTICIPANT_POST = _cells(302, 302, 302, 302, 403, 404)  # PARTICIPATE

MATRIX = {
    # pages of one project
    "testing:case_list": EVERY_MEMBER,
    "testing:cycle_list": EVERY_MEMBER,
    "testing:defect_list": EVERY_MEMBER,
    "testing:load_result_list": EVERY_MEMBER,
    "testing:traceability": EVERY_MEMBER,
    "testing:traceability_export": EVERY_MEMBER,
    "testing-portal:uat_home": EVERY_MEMBER,
    "testing:case_create": FIRM_PAGE,
    "testing:cycle_create": FIRM_PAGE,
    "testing:load_result_create": FIRM_PAGE,
    "testing:defect_create": PARTICIPANT_PAGE,
    # object pages and downloads
    "testing:case_detail": EVERY_MEMBER,
    "testing:case_edit": FIRM_PAGE,
    "testing:cycle_detail": EVERY_MEMBER,
    "testing:cycle_edit": FIRM_PAGE,
    "testing:cycle_signoff": EVERY_MEMBER,
    "testing:execution_detail": EVERY_MEMBER,
    "testing:defect_detail": EVERY_MEMBER,
    "testing:evidence_download": EVERY_MEMBER,
    "testing:load_report_download": EVERY_MEMBER,
    "testing-portal:execution_detail": EVERY_MEMBER,
    "testing-portal:evidence_download": EVERY_MEMBER,
    "testing-portal:cycle_signoff": EVERY_MEMBER,
    # page actions (POST; an empty form is refused on the page and answers the redirect)
    "testing:case_delete": FIRM_POST,
    "testing:cycle_status": FIRM_POST,
    "testing:cycle_add_cases": FIRM_POST,
    "testing:cycle_assign": FIRM_POST,
    "testing:cycle_signoff_request": FIRM_POST,
    "testing:defect_edit": FIRM_POST,
    "testing:execution_start": PARTICIPANT_POST,
    "testing:execution_step": PARTICIPANT_POST,
    "testing:execution_finish": PARTICIPANT_POST,
    "testing:evidence_upload": PARTICIPANT_POST,
    "testing:execution_defect": PARTICIPANT_POST,
    "testing:defect_transition": PARTICIPANT_POST,
    "testing:defect_comment": PARTICIPANT_POST,
    "testing-portal:execution_start": PARTICIPANT_POST,
    "testing-portal:execution_step": PARTICIPANT_POST,
    "testing-portal:execution_finish": PARTICIPANT_POST,
    "testing-portal:evidence_upload": PARTICIPANT_POST,
    "testing-portal:execution_defect": PARTICIPANT_POST,
    "testing-portal:defect_transition": PARTICIPANT_POST,
    # the API
    "api:case-create": _cells(201, 201, 403, 403, 403, 400),
    "api:case-update": _cells(200, 200, 403, 403, 403, 404),
    "api:cycle-create": _cells(201, 201, 403, 403, 403, 400),
    "api:cycle-add-cases": _cells(200, 200, 403, 403, 403, 404),
    "api:execution-start": _cells(201, 201, 400, 201, 403, 400),
    "api:defect-create": _cells(201, 201, 201, 201, 403, 400),
    "api:defect-open": _cells(200, 200, 400, 400, 403, 404),
    "api:defect-comment": _cells(201, 201, 201, 201, 403, 404),
    "api:load-create": _cells(201, 201, 403, 403, 403, 400),
    "api:request-signoff": _cells(201, 201, 403, 403, 403, 404),
    # requested by the consultant: the approvers (PM, sponsor) decide
    "api:signoff": _cells(200, 403, 200, 403, 403, 404),
    # requested by the PM: the PM may not decide their own request (segregation of duties)
    "api:signoff-requested-by-pm": _cells(403, 403, 200, 403, 403, 404),
    "api:summary": _cells(200, 200, 200, 200, 200, 404),
    "api:scope": _cells(200, 200, 200, 200, 200, 404),
}


def _page(method, name, *parts):
    """A request to a page of ``w``'s project; ``parts`` name objects of ``w`` (their pk) or are literal."""

    def request(client, w):
        args = [w["project"].code] + [w[p].pk if isinstance(p, str) else p for p in parts]
        return getattr(client, method)(reverse(name, args=args))

    return request


def _case_create(client, w):
    body = {"project": w["project"].code, "title": "Kiểm tra", "steps": [{"action": "a", "expected_result": "b"}]}
    return client.post(reverse("testing-api:case-list"), body, format="json")


def _case_update(client, w):
    url = reverse("testing-api:case-detail", args=[w["case"].pk])
    return client.patch(url, {"version": w["case"].version, "title": "Đổi tên"}, format="json")


def _cycle_create(client, w):
    body = {"project": w["project"].code, "name": "SIT 2", "type": "integration"}
    return client.post(reverse("testing-api:cycle-list"), body, format="json")


def _cycle_add_cases(client, w):
    case = CaseFactory(project=w["project"])
    url = reverse("testing-api:cycle-add-cases", args=[w["cycle"].pk])
    return client.post(url, {"cases": [case.pk]}, format="json")


def _execution_start(client, w):
    cc = CycleCaseFactory(cycle=w["cycle"], case=CaseFactory(project=w["project"]), assignee=w["cc"].assignee)
    body = {"cycle": w["cycle"].pk, "case": cc.case.pk}
    return client.post(reverse("testing-api:execution-list"), body, format="json")


def _defect_create(client, w):
    body = {"project": w["project"].code, "title": "Lỗi in", "severity": "minor"}
    return client.post(reverse("testing-api:defect-list"), body, format="json")


def _defect_open(client, w):
    url = reverse("testing-api:defect-transition", args=[w["defect"].pk])
    return client.post(url, {"to_status": "open"}, format="json")


def _defect_comment(client, w):
    return client.post(reverse("testing-api:defect-comment", args=[w["defect"].pk]), {"body": "Ghi chú"}, format="json")


def _load_create(client, w):
    body = {
        "project": w["project"].code,
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


def _request_signoff(client, w):
    return client.post(reverse("testing-api:cycle-request-signoff", args=[w["cycle"].pk]), {}, format="json")


def _signoff_requested_by(requester):
    def request(client, w):
        services.cycle_signoff_request(cycle=w["cycle"], by=w["people"][requester])
        body = {"decision": "approved", "override": True, "override_reason": "Chấp nhận rủi ro"}
        return client.post(reverse("testing-api:cycle-signoff", args=[w["cycle"].pk]), body, format="json")

    return request


def _summary(client, w):
    return client.get(reverse("testing-api:cycle-summary", args=[w["cycle"].pk]))


REQUESTS = {
    "testing:case_list": _page("get", "testing:case_list"),
    "testing:cycle_list": _page("get", "testing:cycle_list"),
    "testing:defect_list": _page("get", "testing:defect_list"),
    "testing:load_result_list": _page("get", "testing:load_result_list"),
    "testing:traceability": _page("get", "testing:traceability"),
    "testing:traceability_export": _page("get", "testing:traceability_export"),
    "testing-portal:uat_home": _page("get", "testing-portal:uat_home"),
    "testing:case_create": _page("get", "testing:case_create"),
    "testing:cycle_create": _page("get", "testing:cycle_create"),
    "testing:load_result_create": _page("get", "testing:load_result_create"),
    "testing:defect_create": _page("get", "testing:defect_create"),
    "testing:case_detail": _page("get", "testing:case_detail", "case"),
    "testing:case_edit": _page("get", "testing:case_edit", "case"),
    "testing:cycle_detail": _page("get", "testing:cycle_detail", "cycle"),
    "testing:cycle_edit": _page("get", "testing:cycle_edit", "cycle"),
    "testing:cycle_signoff": _page("get", "testing:cycle_signoff", "cycle"),
    "testing:execution_detail": _page("get", "testing:execution_detail", "run"),
    "testing:defect_detail": _page("get", "testing:defect_detail", "defect"),
    "testing:evidence_download": _page("get", "testing:evidence_download", "evidence"),
    "testing:load_report_download": _page("get", "testing:load_report_download", "load"),
    "testing-portal:execution_detail": _page("get", "testing-portal:execution_detail", "run"),
    "testing-portal:evidence_download": _page("get", "testing-portal:evidence_download", "evidence"),
    "testing-portal:cycle_signoff": _page("get", "testing-portal:cycle_signoff", "cycle"),
    "testing:case_delete": _page("post", "testing:case_delete", "case"),
    "testing:cycle_status": _page("post", "testing:cycle_status", "cycle"),
    "testing:cycle_add_cases": _page("post", "testing:cycle_add_cases", "cycle"),
    "testing:cycle_assign": _page("post", "testing:cycle_assign", "cycle", "cc"),
    "testing:cycle_signoff_request": _page("post", "testing:cycle_signoff_request", "cycle"),
    "testing:defect_edit": _page("post", "testing:defect_edit", "defect"),
    "testing:execution_start": _page("post", "testing:execution_start", "cc"),
    "testing:execution_step": _page("post", "testing:execution_step", "run", 1),
    "testing:execution_finish": _page("post", "testing:execution_finish", "run"),
    "testing:evidence_upload": _page("post", "testing:evidence_upload", "run"),
    "testing:execution_defect": _page("post", "testing:execution_defect", "run"),
    "testing:defect_transition": _page("post", "testing:defect_transition", "defect"),
    "testing:defect_comment": _page("post", "testing:defect_comment", "defect"),
    "testing-portal:execution_start": _page("post", "testing-portal:execution_start", "cc"),
    "testing-portal:execution_step": _page("post", "testing-portal:execution_step", "run", 1),
    "testing-portal:execution_finish": _page("post", "testing-portal:execution_finish", "run"),
    "testing-portal:evidence_upload": _page("post", "testing-portal:evidence_upload", "run"),
    "testing-portal:execution_defect": _page("post", "testing-portal:execution_defect", "run"),
    "testing-portal:defect_transition": _page("post", "testing-portal:defect_transition", "defect"),
    "api:case-create": _case_create,
    "api:case-update": _case_update,
    "api:cycle-create": _cycle_create,
    "api:cycle-add-cases": _cycle_add_cases,
    "api:execution-start": _execution_start,
    "api:defect-create": _defect_create,
    "api:defect-open": _defect_open,
    "api:defect-comment": _defect_comment,
    "api:load-create": _load_create,
    "api:request-signoff": _request_signoff,
    "api:signoff": _signoff_requested_by("consultant"),
    "api:signoff-requested-by-pm": _signoff_requested_by("pm"),
    "api:summary": _summary,
    "api:scope": lambda client, w: client.get(reverse("testing-api:cycle-cases", args=[w["cycle"].pk])),
}


def test_every_action_of_the_matrix_has_a_request():
    assert set(MATRIX) == set(REQUESTS)


@pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
def test_role_matrix(action, persona, expected, world, personas, client_of):
    w = {**world["mine"], "people": personas}
    response = REQUESTS[action](client_of(persona), w)
    assert response.status_code == expected, response.content[:500]


API_LIST_ROUTES = [
    "testing-api:case-list",
    "testing-api:cycle-list",
    "testing-api:execution-list",
    "testing-api:defect-list",
    "testing-api:load-test-result-list",
]


def test_anonymous_gets_nothing(world, api_client_for, client):
    for route in API_LIST_ROUTES:
        assert api_client_for().get(reverse(route)).status_code in (401, 403)
    response = client.get(reverse("testing:case_list", args=[world["mine"]["project"].code]))
    assert response.status_code == 302
