"""The go/no-go decision API: create, PATCH with version, decide, client view of the snapshot."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from golive.models import GoNoGoDecision
from golive.services.decisions import decision_create
from golive.tests.factories_decisions import BLOCKED, CLEAN, finished_run

pytestmark = pytest.mark.django_db

LIST = "golive-api:decision-list"


def _detail(decision, name="golive-api:decision-detail"):
    return reverse(name, args=[decision.pk])


def _decision(project, by, results=BLOCKED):
    run = finished_run(project, results)
    return decision_create(project=project, by=by, meeting_at=timezone.now() + timedelta(days=1), readiness_run=run)


def test_create_and_read(project, consultant, pm, sponsor, client_of):
    run = finished_run(project, BLOCKED)
    body = {
        "project": project.code,
        "meeting_at": (timezone.now() + timedelta(days=2)).isoformat(),
        "readiness_run": run.pk,
        "attendees": [pm.username, sponsor.username],
        "other_attendees": "CFO",
    }
    response = client_of("consultant").post(reverse(LIST), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["outcome"] == "pending"
    assert data["needs_override"] is True
    assert data["sponsor_signoff"]["approver"] == sponsor.username
    assert data["pm_signoff"]["approver"] == pm.username
    assert sorted(data["attendees"]) == sorted([pm.username, sponsor.username])
    assert [r["code"] for r in data["snapshot"]["results"]] == ["RC-PASS", "RC-FAIL", "RC-SECRET"]


def test_create_refuses_an_unfinished_run(project, consultant, client_of):
    run = finished_run(project, CLEAN)
    run.status = "running"
    run.save()
    body = {"project": project.code, "meeting_at": timezone.now().isoformat(), "readiness_run": run.pk}
    response = client_of("consultant").post(reverse(LIST), body, format="json")
    assert response.status_code == 400
    assert "readiness_run" in response.json()


def test_patch_needs_the_current_version(project, consultant, client_of):
    decision = _decision(project, consultant)
    client = client_of("consultant")
    response = client.patch(_detail(decision), {"version": decision.version, "conditions": "Freeze"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["conditions"] == "Freeze"
    stale = client.patch(_detail(decision), {"version": decision.version, "conditions": "Other"}, format="json")
    assert stale.status_code == 409
    refused = client.patch(_detail(decision), {"version": decision.version + 1, "outcome": "go"}, format="json")
    assert refused.status_code == 400


def test_decide_go_needs_both_and_the_override_reason(project, consultant, pm, sponsor, client_of):
    decision = _decision(project, consultant)
    url = _detail(decision, "golive-api:decision-decide")
    refused = client_of("sponsor").post(url, {"go": True}, format="json")
    assert refused.status_code == 400
    assert "override_reason" in str(refused.json())
    decision.refresh_from_db()
    assert decision.sponsor_signoff.decision == "pending"
    ok = client_of("sponsor").post(url, {"go": True, "override_reason": "Manual workaround"}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["outcome"] == "pending"
    done = client_of("pm").post(
        url, {"go": True, "override_reason": "Agreed", "conditions": "Hypercare"}, format="json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["outcome"] == "go"
    assert done.json()["conditions"] == "Hypercare"


def test_decide_no_go(project, consultant, pm, client_of):
    decision = _decision(project, consultant)
    response = client_of("pm").post(_detail(decision, "golive-api:decision-decide"), {"go": False}, format="json")
    assert response.status_code == 200
    assert response.json()["outcome"] == GoNoGoDecision.Outcome.NO_GO


def test_the_requester_cannot_decide(project, pm, sponsor, client_of):
    decision = _decision(project, pm, results=CLEAN)
    response = client_of("pm").post(_detail(decision, "golive-api:decision-decide"), {"go": True}, format="json")
    assert response.status_code == 403


def test_client_roles_never_see_internal_results(project, consultant, sponsor, key_user, viewer, client_of):
    decision = _decision(project, consultant)
    for persona in ("sponsor", "key_user", "viewer"):
        client = client_of(persona)
        for response in (client.get(_detail(decision)), client.get(reverse(LIST))):
            assert response.status_code == 200
            assert "RC-SECRET" not in response.content.decode()
            assert "Firm margin" not in response.content.decode()
        snapshot = client.get(_detail(decision)).json()["snapshot"]
        assert snapshot["blockers"] == 1
    assert "RC-SECRET" in client_of("consultant").get(_detail(decision)).content.decode()
