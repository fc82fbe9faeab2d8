"""The go/no-go pages and the sponsor's portal: create, edit, decide, the override rule,
and client roles never seeing internal results of the snapshot."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from golive.models import GoNoGoDecision
from golive.services.decisions import decision_create
from golive.tests.factories_decisions import BLOCKED, CLEAN, finished_run

pytestmark = pytest.mark.django_db


def _decision(project, by, results=BLOCKED):
    run = finished_run(project, results)
    return decision_create(project=project, by=by, meeting_at=timezone.now() + timedelta(days=1), readiness_run=run)


def _url(name, decision):
    return reverse(name, args=[decision.project.code, decision.pk])


def test_create_page_offers_finished_runs_and_records_the_decision(project, consultant, pm, sponsor, client_of):
    run = finished_run(project, CLEAN)
    unfinished = finished_run(project, CLEAN)
    unfinished.status = "running"
    unfinished.save()
    client = client_of("consultant")
    url = reverse("golive:decision_create", args=[project.code])
    page = client.get(url)
    assert page.status_code == 200
    options = page.context["form"].fields["readiness_run"].queryset
    assert list(options) == [run]
    response = client.post(
        url,
        {"meeting_at": "2027-01-10T09:00", "readiness_run": run.pk, "attendees": [pm.pk, sponsor.pk]},
    )
    assert response.status_code == 302
    decision = GoNoGoDecision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    assert decision.sponsor_signoff.approver == sponsor
    listing = client.get(reverse("golive:decision_list", args=[project.code]))
    assert decision.get_absolute_url() in listing.content.decode()


def test_edit_page_with_version(project, consultant, client_of):
    decision = _decision(project, consultant)
    client = client_of("consultant")
    url = _url("golive:decision_edit", decision)
    assert client.get(url).status_code == 200
    body = {"meeting_at": "2027-01-11T10:00", "other_attendees": "CFO", "conditions": "", "version": decision.version}
    assert client.post(url, body).status_code == 302
    decision.refresh_from_db()
    assert decision.other_attendees == "CFO"
    stale = client.post(url, {**body, "other_attendees": "CIO"})
    assert stale.status_code == 200  # re-rendered with the conflict message
    decision.refresh_from_db()
    assert decision.other_attendees == "CFO"


def test_detail_page_go_with_a_failed_blocker_needs_the_reason(project, consultant, pm, sponsor, client_of):
    decision = _decision(project, consultant)
    client = client_of("pm")
    url = _url("golive:decision_detail", decision)
    page = client.get(url)
    assert 'name="override_reason"' in page.content.decode()
    refused = client.post(url, {"go": "go"})
    assert refused.status_code == 200
    assert "override reason" in refused.content.decode()
    decision.refresh_from_db()
    assert decision.pm_signoff.decision == "pending"
    done = client.post(url, {"go": "go", "override_reason": "Known workaround", "conditions": "Daily check"})
    assert done.status_code == 302
    decision.refresh_from_db()
    assert decision.pm_signoff.decision == "approved"
    assert decision.override_reason == "Known workaround"
    assert decision.outcome == GoNoGoDecision.Outcome.PENDING


def test_no_override_field_when_nothing_blocking_failed(project, consultant, pm, client_of):
    decision = _decision(project, consultant, results=CLEAN)
    page = client_of("pm").get(_url("golive:decision_detail", decision))
    assert 'name="override_reason"' not in page.content.decode()
    assert client_of("pm").post(_url("golive:decision_detail", decision), {"go": "no_go"}).status_code == 302
    decision.refresh_from_db()
    assert decision.outcome == GoNoGoDecision.Outcome.NO_GO


def test_the_requester_gets_no_decide_form_and_is_refused(project, pm, sponsor, client_of):
    decision = _decision(project, pm, results=CLEAN)
    client = client_of("pm")
    page = client.get(_url("golive:decision_detail", decision))
    assert 'id="decide-form"' not in page.content.decode()
    assert 'id="decide-refusal"' in page.content.decode()
    assert client.post(_url("golive:decision_detail", decision), {"go": "go"}).status_code == 403
    decision.refresh_from_db()
    assert decision.pm_signoff.decision == "pending"


def test_portal_sponsor_decides_with_the_override_rule(project, consultant, pm, sponsor, client_of):
    decision = _decision(project, consultant)
    client = client_of("sponsor")
    home = client.get(reverse("golive-portal:decision_home", args=[project.code]))
    assert _url("golive-portal:decision_detail", decision) in home.content.decode()
    url = _url("golive-portal:decision_detail", decision)
    refused = client.post(url, {"go": "go"})
    assert refused.status_code == 200
    decision.refresh_from_db()
    assert decision.sponsor_signoff.decision == "pending"
    assert client.post(url, {"go": "go", "override_reason": "Board accepts the risk"}).status_code == 302
    decision.refresh_from_db()
    assert decision.sponsor_signoff.decision == "approved"
    home = client.get(reverse("golive-portal:decision_home", args=[project.code]))
    assert list(home.context["waiting"]) == []
    client_of("pm").post(_url("golive:decision_detail", decision), {"go": "go", "override_reason": "Agreed"})
    decision.refresh_from_db()
    assert decision.outcome == GoNoGoDecision.Outcome.GO


@pytest.mark.parametrize("persona", ["sponsor", "key_user", "viewer"])
def test_client_roles_never_see_internal_results(persona, project, consultant, personas, client_of):
    decision = _decision(project, consultant)
    client = client_of(persona)
    for url in (
        _url("golive:decision_detail", decision),
        _url("golive-portal:decision_detail", decision),
        reverse("golive-portal:decision_home", args=[project.code]),
        reverse("golive:decision_list", args=[project.code]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "RC-SECRET" not in body and "Firm margin" not in body
    detail = client.get(_url("golive-portal:decision_detail", decision))
    assert "RC-FAIL" in detail.content.decode()
    assert "RC-SECRET" in client_of("consultant").get(_url("golive:decision_detail", decision)).content.decode()
