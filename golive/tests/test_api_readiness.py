"""The readiness API: criteria (create, PATCH with version, delete, rules, manual assessment)
and runs (202 + progress, one at a time, results and figures, cancel, compare), as the firm
and as client roles (nothing internal, figures over what they may see).

A run's task is enqueued on commit; these tests capture that callback without running it and
do the worker's part in-process (``readiness_run_claim`` + ``readiness_run_execute``).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from golive import services
from golive.models import ReadinessCriterion, ReadinessRun
from golive.tests.factories import ReadinessCriterionFactory
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

CRITERIA = "golive-api:readiness-criterion-list"
RUNS = "golive-api:readiness-run-list"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _url(name, *args):
    return reverse(name, args=args)


def _execute(run) -> ReadinessRun:
    """What the ``readiness`` worker does with a queued run."""
    claimed, token = services.readiness_run_claim(run_id=run.pk, worker="api-tests")
    assert claimed is not None
    return services.readiness_run_execute(run=claimed, token=token)


def _manual(project, code, **fields):
    return ReadinessCriterionFactory(project=project, code=code, kind="manual", rule="", **fields)


@pytest.fixture
def checked(project):
    """Only the criteria a test makes are checked (the seeded ones are switched off)."""
    project.readiness_criteria.update(active=False)
    return project


# --- criteria --------------------------------------------------------------------------------


def test_the_pm_creates_edits_and_deletes_a_criterion(project, pm, key_user, client_of):
    client = client_of("pm")
    body = {
        "project": project.code,
        "code": "API-01",
        "title": "No open critical defects",
        "category": "testing",
        "rule": "open_defects",
        "parameters": {"severity": "critical"},
        "weight": 5,
        "blocking": True,
        "owner": key_user.username,
    }
    created = client.post(_url(CRITERIA), body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["code"], data["kind"], data["parameters"], data["owner"]) == (
        "API-01",
        "automatic",
        {"severity": "critical"},
        key_user.username,
    )
    detail = _url("golive-api:readiness-criterion-detail", data["id"])

    edited = client.patch(detail, {"version": data["version"], "weight": 8, "internal": True}, format="json")
    assert edited.status_code == 200, edited.content
    assert (edited.json()["weight"], edited.json()["internal"], edited.json()["version"]) == (8, True, 2)

    stale = client.patch(detail, {"version": data["version"], "title": "Lost change"}, format="json")
    assert stale.status_code == 409
    assert ReadinessCriterion.objects.get(pk=data["id"]).title == "No open critical defects"

    deleted = client.delete(detail)
    assert deleted.status_code == 204
    assert not ReadinessCriterion.objects.filter(pk=data["id"]).exists()


def test_a_criterion_with_an_unknown_rule_or_parameter_is_refused_on_that_field(project, pm, client_of):
    client = client_of("pm")
    base = {"project": project.code, "code": "API-02", "title": "Defects", "category": "testing"}

    bad_rule = client.post(_url(CRITERIA), {**base, "rule": "no_such_rule"}, format="json")
    bad_name = client.post(_url(CRITERIA), {**base, "rule": "open_defects", "parameters": {"colour": 1}}, format="json")
    bad_value = client.post(
        _url(CRITERIA), {**base, "rule": "open_defects", "parameters": {"severity": "apocalyptic"}}, format="json"
    )

    assert bad_rule.status_code == 400 and "rule" in bad_rule.json()
    assert bad_name.status_code == 400 and "parameters" in bad_name.json()
    assert bad_value.status_code == 400 and "parameters" in bad_value.json()
    assert not project.readiness_criteria.filter(code="API-02").exists()
    criterion = project.readiness_criteria.filter(kind="automatic").first()
    patched = client.patch(
        _url("golive-api:readiness-criterion-detail", criterion.pk),
        {"version": criterion.version, "rule": "no_such_rule"},
        format="json",
    )
    assert patched.status_code == 400 and "rule" in patched.json()


def test_a_patch_of_the_assessment_points_to_the_assess_action(project, pm, client_of):
    criterion = _manual(project, "M-PATCH")
    url = _url("golive-api:readiness-criterion-detail", criterion.pk)
    response = client_of("pm").patch(url, {"version": criterion.version, "assessment": "met"}, format="json")
    assert response.status_code == 400
    assert "assess" in response.json()["assessment"][0]


def test_a_key_user_lists_criteria_without_internal_ones_nor_the_internal_flag(project, pm, key_user, client_of):
    secret = _manual(project, "M-SECRET", title="Firm margin check", internal=True)
    shared = _manual(project, "M-SHARED", title="Bank accounts confirmed")

    mine = client_of("key_user").get(_url(CRITERIA), {"project": project.code, "page_size": 100})
    firm = client_of("pm").get(_url(CRITERIA), {"project": project.code, "page_size": 100})

    assert mine.status_code == firm.status_code == 200
    codes = {row["code"] for row in mine.json()["results"]}
    assert shared.code in codes and secret.code not in codes
    assert all("internal" not in row for row in mine.json()["results"])
    assert "Firm margin check" not in mine.content.decode()
    assert mine.json()["count"] == firm.json()["count"] - project.readiness_criteria.filter(internal=True).count()
    assert {row["code"]: row["internal"] for row in firm.json()["results"]}[secret.code] is True
    hidden = client_of("key_user").get(_url("golive-api:readiness-criterion-detail", secret.pk))
    assert hidden.status_code == 404


def test_the_criteria_list_filters_and_orders(checked, pm, client_of):
    _manual(checked, "M-B", title="Bravo", order=2, blocking=True)
    _manual(checked, "M-A", title="Alpha", order=1, blocking=True)
    _manual(checked, "M-C", title="Charlie", order=3, blocking=False)
    query = {"project": checked.code, "kind": "manual", "active": "true", "blocking": "true", "ordering": "-title"}
    response = client_of("pm").get(_url(CRITERIA), query)
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["M-B", "M-A"]


def test_the_rules_endpoint_lists_the_built_in_rules_with_their_parameters(pm, client_of):
    response = client_of("pm").get(_url("golive-api:readiness-criterion-rules"))
    assert response.status_code == 200
    rules = {rule["key"]: rule for rule in response.json()}
    assert len(rules) == 15
    params = {param["name"]: param for param in rules["open_defects"]["params"]}
    assert params["severity"]["default"] == "major" and params["severity"]["kind"] == "choice"
    assert "critical" in [choice["value"] for choice in params["severity"]["choices"]]
    assert [c["value"] for c in params["when_no_data"]["choices"]] == ["not_applicable", "fail"]


# --- manual assessment ------------------------------------------------------------------------


def test_the_key_user_owner_assesses_a_manual_criterion_with_an_attachment(project, pm, key_user, client_of):
    criterion = _manual(project, "M-BANK", owner=key_user)
    url = _url("golive-api:readiness-criterion-assess", criterion.pk)
    client = client_of("key_user")

    refused = client.post(
        url,
        {"version": criterion.version, "met": "true", "note": "x", "evidence": SimpleUploadedFile("run.exe", b"MZ")},
        format="multipart",
    )
    assert refused.status_code == 400 and "evidence" in refused.json()
    criterion.refresh_from_db()
    assert (criterion.assessment, criterion.version, bool(criterion.evidence)) == ("not_assessed", 1, False)

    proof = SimpleUploadedFile("confirmation.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url,
        {"version": criterion.version, "met": "true", "note": "Bank confirmed", "evidence": proof},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["assessment"], data["assessment_note"], data["assessed_by"]) == (
        "met",
        "Bank confirmed",
        "kim_keyuser",
    )
    assert data["evidence_name"] == "confirmation.pdf" and data["version"] == 2
    download = client.get(data["evidence_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_only_the_owner_or_an_editor_assesses_and_met_must_be_said(project, pm, key_user, sponsor, client_of):
    criterion = _manual(project, "M-OWNED", owner=key_user)
    url = _url("golive-api:readiness-criterion-assess", criterion.pk)

    not_owner = client_of("sponsor").post(url, {"version": 1, "met": True}, format="json")
    viewer = client_of("viewer").post(url, {"version": 1, "met": True}, format="json")
    no_met = client_of("key_user").post(url, {"version": 1, "note": "?"}, format="multipart")
    stale = client_of("pm").post(url, {"version": 7, "met": False}, format="json")

    assert (not_owner.status_code, viewer.status_code, stale.status_code) == (403, 403, 409)
    assert no_met.status_code == 400 and "met" in no_met.json()
    automatic = project.readiness_criteria.filter(kind="automatic").first()
    refused = client_of("pm").post(
        _url("golive-api:readiness-criterion-assess", automatic.pk), {"version": 1, "met": True}, format="json"
    )
    assert refused.status_code == 400 and "met" in refused.json()
    criterion.refresh_from_db()
    assert criterion.assessment == "not_assessed"


# --- runs ------------------------------------------------------------------------------------


def test_a_run_is_started_followed_to_its_end_and_cannot_be_cancelled_then(
    checked, pm, client_of, django_capture_on_commit_callbacks
):
    project = checked
    _manual(project, "M-PASS", assessment="met", blocking=True, weight=3)
    _manual(project, "M-FAIL", blocking=True, weight=1)
    client = client_of("pm")

    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        started = client.post(_url(RUNS), {"project": project.code}, format="json")
    assert started.status_code == 202, started.content
    run_id = started.json()["id"]
    location = _url("golive-api:readiness-run-detail", run_id)
    assert started["Location"] == started.json()["url"] == location
    assert (started.json()["status"], started.json()["criteria_total"], started.json()["progress_percent"]) == (
        "queued",
        2,
        0,
    )
    assert len(enqueued) == 1, "the task is sent once the request's transaction commits"

    again = client.post(_url(RUNS), {"project": project.code}, format="json")
    assert again.status_code == 400 and "#1" in again.json()["detail"]

    _execute(ReadinessRun.objects.get(pk=run_id))
    body = client.get(location).json()
    assert (body["status"], body["criteria_done"], body["progress_percent"]) == ("succeeded", 2, 100)
    assert (body["score"], body["recommendation"], body["blockers"]) == (75.0, "no_go", 1)
    assert body["summary"]["counts"] == {"pass": 1, "fail": 1, "not_applicable": 0, "error": 0}
    results = {r["code"]: r for r in body["results"]}
    assert (results["M-PASS"]["result"], results["M-FAIL"]["result"]) == ("pass", "fail")
    assert results["M-FAIL"]["blocking"] is True and results["M-FAIL"]["threshold"]
    assert body["query_count"] and body["worker"] == "api-tests"

    finished = client.post(_url("golive-api:readiness-run-cancel", run_id))
    assert finished.status_code == 400 and finished.json()["detail"]


def test_a_queued_run_is_cancelled(checked, pm, consultant, client_of, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        run_id = client_of("pm").post(_url(RUNS), {"project": checked.code}, format="json").json()["id"]

    refused = client_of("key_user").post(_url("golive-api:readiness-run-cancel", run_id))
    cancelled = client_of("consultant").post(_url("golive-api:readiness-run-cancel", run_id))

    assert refused.status_code == 403
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert ReadinessRun.objects.get(pk=run_id).status == ReadinessRun.Status.CANCELLED
    listed = client_of("pm").get(_url(RUNS), {"project": checked.code, "status": "cancelled"}).json()
    assert [row["id"] for row in listed["results"]] == [run_id]


def test_a_client_role_reads_a_run_without_internal_results_and_with_its_own_figures(checked, pm, client_of):
    project = checked
    _manual(project, "M-SHARED", title="Bank accounts confirmed", assessment="met", blocking=True)
    _manual(project, "M-SECRET", title="Firm margin check", blocking=True, internal=True)  # fails, blocks
    run = _execute(services.readiness_run_request(project=project, by=pm))
    assert (float(run.score), run.recommendation, run.blockers) == (50.0, "no_go", 1)
    detail = _url("golive-api:readiness-run-detail", run.pk)

    firm = client_of("pm").get(detail).json()
    client = client_of("key_user").get(detail)
    listed = client_of("sponsor").get(_url(RUNS), {"project": project.code}).json()["results"][0]

    assert {r["code"] for r in firm["results"]} == {"M-SHARED", "M-SECRET"}
    assert (firm["score"], firm["recommendation"], firm["blockers"]) == (50.0, "no_go", 1)
    assert client.status_code == 200
    body = client.json()
    assert [r["code"] for r in body["results"]] == ["M-SHARED"]
    assert "Firm margin check" not in client.content.decode()
    assert (body["score"], body["recommendation"], body["blockers"]) == (100.0, "go", 0)
    assert body["summary"] == {
        "score": 100.0,
        "recommendation": "go",
        "blockers": 0,
        "counts": {"pass": 1, "fail": 0, "not_applicable": 0, "error": 0},
    }
    assert not {"worker", "query_count", "error"} & set(body)
    assert "internal" not in body["results"][0] and "evidence_internal" not in body["results"][0]
    assert (listed["score"], listed["recommendation"], listed["blockers"]) == (100.0, "go", 0)


def test_two_runs_are_compared(checked, pm, client_of):
    project = checked
    target = _manual(project, "M-DATA", title="Opening balances signed")
    first = _execute(services.readiness_run_request(project=project, by=pm))
    services.criterion_assess(criterion=target, by=pm, met=True, note="Signed", version=target.version)
    second = _execute(services.readiness_run_request(project=project, by=pm))

    response = client_of("key_user").get(_url("golive-api:readiness-run-compare", second.pk), {"with": first.pk})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["older"]["number"], body["newer"]["number"]) == (1, 2)
    assert body["changes"] == [
        {
            "code": "M-DATA",
            "title": "Opening balances signed",
            "before": "fail",
            "after": "pass",
            "appeared": [],
            "gone": [],
        }
    ]


def test_compare_needs_another_visible_run_of_the_same_project(checked, pm, staff, api_client_for):
    run = _execute(services.readiness_run_request(project=checked, by=pm))
    theirs = ReadinessRun.objects.create(project=ProjectFactory(), number=1, status=ReadinessRun.Status.SUCCEEDED)
    url = _url("golive-api:readiness-run-compare", run.pk)

    missing = api_client_for(pm).get(url)
    hidden = api_client_for(pm).get(url, {"with": theirs.pk})
    other_project = api_client_for(staff).get(url, {"with": theirs.pk})

    assert missing.status_code == 400 and "with" in missing.json()
    assert hidden.status_code == 404
    assert other_project.status_code == 400 and "with" in other_project.json()
