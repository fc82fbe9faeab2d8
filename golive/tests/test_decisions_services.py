"""The go/no-go decision's rules, at the service: snapshot, sign-offs, outcome, override."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from erpimpl.errors import ConflictError, DomainError
from golive.models import GoNoGoDecision, ReadinessRun
from golive.selectors.decisions import decisions_waiting_for, snapshot_for
from golive.services.decisions import decision_create, decision_decide, decision_signoff_check, decision_update
from golive.tests.factories_decisions import BLOCKED, CLEAN, ReadinessResultFactory, finished_run
from projects import services as project_services
from projects.models import Approval
from projects.services.approvals import SIGNOFF_CHECKS

pytestmark = pytest.mark.django_db


def _decision(project, by, results=BLOCKED, **kwargs):
    run = finished_run(project, results)
    return decision_create(
        project=project, by=by, meeting_at=timezone.now() + timedelta(days=1), readiness_run=run, **kwargs
    )


def test_the_snapshot_is_a_copy_later_runs_and_edits_do_not_change_it(project, consultant, pm, sponsor):
    decision = _decision(project, consultant)
    run = decision.readiness_run
    run.results.filter(code="RC-FAIL").update(result="pass", title="Renamed")
    finished_run(project, CLEAN)
    decision.refresh_from_db()
    codes = {r["code"]: r for r in decision.snapshot["results"]}
    assert codes["RC-FAIL"]["result"] == "fail"
    assert codes["RC-FAIL"]["title"] == "Open critical defects"
    assert codes["RC-FAIL"]["measured"] == "3"
    assert decision.snapshot["number"] == run.number
    assert decision.snapshot["blockers"] == 2
    assert decision.snapshot["recommendation"] == "no_go"


def test_the_run_must_be_a_finished_run_of_the_project(project, other_project, consultant):
    queued = finished_run(project, CLEAN)
    queued.status = ReadinessRun.Status.RUNNING
    queued.save()
    elsewhere = finished_run(other_project, CLEAN)
    for run in (queued, elsewhere):
        with pytest.raises(DomainError) as refused:
            decision_create(project=project, by=consultant, meeting_at=timezone.now(), readiness_run=run)
        assert refused.value.field == "readiness_run"
    assert not GoNoGoDecision.objects.exists()


def test_creating_asks_the_sponsor_and_a_pm_other_than_the_requester(project, consultant, pm, sponsor):
    decision = _decision(project, consultant, attendees=[pm, sponsor], other_attendees="CFO")
    assert decision.sponsor_signoff.approver == sponsor
    assert decision.pm_signoff.approver == pm
    assert {decision.sponsor_signoff.requested_by, decision.pm_signoff.requested_by} == {consultant}
    assert set(decision.attendees.all()) == {pm, sponsor}


def test_only_editors_create(project, sponsor, key_user):
    run = finished_run(project, CLEAN)
    for user in (sponsor, key_user):
        with pytest.raises(PermissionDenied):
            decision_create(project=project, by=user, meeting_at=timezone.now(), readiness_run=run)


def test_go_needs_both_sign_offs(project, consultant, pm, sponsor):
    decision = _decision(project, consultant, results=CLEAN)
    decision = decision_decide(decision=decision, by=sponsor, go=True, conditions="Hypercare staffed")
    assert decision.outcome == GoNoGoDecision.Outcome.PENDING
    assert decision.sponsor_signoff.decision == Approval.Decision.APPROVED
    decision = decision_decide(decision=decision, by=pm, go=True)
    assert decision.outcome == GoNoGoDecision.Outcome.GO
    assert decision.conditions == "Hypercare staffed"
    assert decision.pm_signoff.decision == Approval.Decision.APPROVED


def test_one_rejection_is_no_go(project, consultant, pm, sponsor):
    decision = _decision(project, consultant, results=CLEAN)
    decision = decision_decide(decision=decision, by=pm, go=False)
    assert decision.outcome == GoNoGoDecision.Outcome.NO_GO
    assert decision.pm_signoff.decision == Approval.Decision.REJECTED
    with pytest.raises(DomainError):
        decision_decide(decision=decision, by=sponsor, go=True)


def test_go_with_a_failed_blocker_needs_an_override_reason(project, consultant, pm, sponsor):
    decision = _decision(project, consultant)
    with pytest.raises(DomainError) as refused:
        decision_decide(decision=decision, by=sponsor, go=True, override_reason="  ")
    assert refused.value.field == "override_reason"
    decision.refresh_from_db()
    assert decision.sponsor_signoff.decision == Approval.Decision.PENDING
    decision = decision_decide(decision=decision, by=sponsor, go=True, override_reason="Workaround agreed")
    assert decision.override_reason == "Workaround agreed"
    assert "Workaround agreed" in decision.sponsor_signoff.comment
    # NO-GO never needs a reason
    decision = decision_decide(decision=decision, by=pm, go=False)
    assert decision.outcome == GoNoGoDecision.Outcome.NO_GO


def test_an_internal_failed_blocker_alone_still_needs_the_reason(project, consultant, sponsor, pm):
    results = [{"code": "RC-SECRET", "title": "Internal", "result": "error", "blocking": True, "internal": True}]
    decision = _decision(project, consultant, results=results)
    with pytest.raises(DomainError):
        decision_decide(decision=decision, by=sponsor, go=True)


def test_the_requester_cannot_decide(project, pm, sponsor):
    decision = _decision(project, pm, results=CLEAN)
    assert decision.pm_signoff.approver is None  # no other PM: any approver but the requester
    with pytest.raises(PermissionDenied):
        decision_decide(decision=decision, by=pm, go=True)
    decision.refresh_from_db()
    assert decision.pm_signoff.decision == Approval.Decision.PENDING


def test_roles_without_approve_cannot_decide(project, consultant, key_user, viewer):
    decision = _decision(project, consultant, results=CLEAN)
    for user in (consultant, key_user, viewer):
        with pytest.raises(PermissionDenied):
            decision_decide(decision=decision, by=user, go=True)


def test_the_generic_sign_off_door_is_closed(project, consultant, sponsor):
    decision = _decision(project, consultant)
    previous = SIGNOFF_CHECKS.get("golive.gonogodecision")
    project_services.signoff_check_register("golive.gonogodecision", decision_signoff_check)
    try:
        with pytest.raises(DomainError):
            project_services.approval_decide(approval=decision.sponsor_signoff, by=sponsor, decision="approved")
        decision = decision_decide(decision=decision, by=sponsor, go=True, override_reason="Accepted")
        assert decision.sponsor_signoff.decision == Approval.Decision.APPROVED
    finally:
        if previous is None:
            SIGNOFF_CHECKS.pop("golive.gonogodecision", None)
        else:
            SIGNOFF_CHECKS["golive.gonogodecision"] = previous


def test_update_while_pending_with_version(project, consultant, pm, sponsor):
    decision = _decision(project, consultant, results=CLEAN)
    updated = decision_update(
        decision=decision, by=consultant, version=decision.version, other_attendees="IT lead", attendees=[pm]
    )
    assert updated.other_attendees == "IT lead"
    assert list(updated.attendees.all()) == [pm]
    with pytest.raises(ConflictError):
        decision_update(decision=decision, by=consultant, version=decision.version, conditions="x")
    decided = decision_decide(decision=updated, by=pm, go=False)
    with pytest.raises(DomainError):
        decision_update(decision=decided, by=consultant, version=decided.version, conditions="x")


def test_waiting_for_lists_the_decisions_an_approver_answers(project, consultant, pm, sponsor, key_user):
    decision = _decision(project, consultant, results=CLEAN)
    assert list(decisions_waiting_for(user=sponsor)) == [decision]
    assert list(decisions_waiting_for(user=pm)) == [decision]
    assert list(decisions_waiting_for(user=key_user)) == []
    decision_decide(decision=decision, by=sponsor, go=True)
    assert list(decisions_waiting_for(user=sponsor)) == []
    assert list(decisions_waiting_for(user=pm, project=project)) == [decision]


def test_client_roles_read_the_snapshot_without_internal_results(project, consultant, sponsor, viewer):
    decision = _decision(project, consultant)
    for user in (sponsor, viewer):
        seen = snapshot_for(user=user, decision=decision)
        assert [r["code"] for r in seen["results"]] == ["RC-PASS", "RC-FAIL"]
        assert seen["blockers"] == 1
        assert "Firm margin" not in str(seen)
    assert len(snapshot_for(user=consultant, decision=decision)["results"]) == 3


def test_a_later_result_row_does_not_leak_into_the_snapshot(project, consultant):
    decision = _decision(project, consultant, results=CLEAN)
    ReadinessResultFactory(run=decision.readiness_run, code="RC-LATE", result="fail", blocking=True)
    decision.refresh_from_db()
    assert [r["code"] for r in decision.snapshot["results"]] == ["RC-PASS"]
