"""Readiness criteria and runs through their services (the worker's part run in the test).

A new project starts with the methodology's criteria; a run records one result per active
criterion, a weighted score and GO / NO-GO; a rule that raises is that criterion's error, not
the run's crash; internal offending objects are kept apart from the client-visible evidence;
the daily schedule checks the projects near go-live once a day.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from erpimpl.errors import DomainError
from golive import services
from golive.models import ReadinessCriterion, ReadinessRun
from golive.readiness import base
from golive.tests.factories import CutoverTaskFactory, ReadinessCriterionFactory, RunbookFactory
from projects.tests.factories import ProjectFactory


def _run(project, by):
    run = services.readiness_run_request(project=project, by=by)
    claimed, token = services.readiness_run_claim(run_id=run.pk, worker="test")
    return services.readiness_run_execute(run=claimed, token=token)


def test_a_new_project_starts_with_the_methodology_criteria(project):
    criteria = project.readiness_criteria.order_by("order")
    assert criteria.count() == 17
    automatic = [c.rule for c in criteria if c.kind == "automatic"]
    assert len(automatic) == 15 and all(base.rule_named(rule) for rule in automatic)
    assert sorted(automatic) == sorted(base.RULES)  # each built-in rule once
    assert criteria.filter(kind="manual").count() == 2


def test_a_run_scores_the_criteria_and_says_no_go_on_a_failed_blocker(project, pm):
    project.readiness_criteria.update(active=False)
    ReadinessCriterionFactory(project=project, code="M-1", kind="manual", rule="", weight=3, blocking=True)
    ReadinessCriterionFactory(
        project=project, code="M-2", kind="manual", rule="", weight=1, assessment="met", blocking=False
    )
    run = _run(project, pm)
    assert run.status == "succeeded" and run.criteria_done == run.criteria_total == 2
    assert float(run.score) == 25.0  # 1 of 4 weight passed
    assert (run.recommendation, run.blockers) == ("no_go", 1)

    blocker = project.readiness_criteria.get(code="M-1")
    services.criterion_assess(criterion=blocker, by=pm, met=True, note="Pen test report accepted")
    again = _run(project, pm)
    assert (float(again.score), again.recommendation, again.blockers) == (100.0, "go", 0)


def test_a_rule_that_raises_is_an_error_result_and_the_run_ends(project, pm, monkeypatch):
    project.readiness_criteria.exclude(code="RD-05").update(active=False)

    def broken(project, params):
        raise RuntimeError("rule bug")

    monkeypatch.setitem(base.RULES, "open_defects", base.RULES["open_defects"].__class__(
        key="open_defects", title="x", category="testing", evaluate=broken
    ))  # fmt: skip
    run = _run(project, pm)
    result = run.results.get()
    assert run.status == "succeeded" and result.result == "error" and "rule bug" in result.detail
    assert run.recommendation == "no_go"  # RD-05 blocks: an error on a blocker is not a GO


def test_internal_offending_objects_are_kept_apart_from_the_client_visible_evidence(project, pm):
    project.readiness_criteria.exclude(code="RD-13").update(active=False)
    project.readiness_criteria.filter(code="RD-13").update(internal=False)
    runbook = RunbookFactory(project=project)
    CutoverTaskFactory(project=project, runbook=runbook, title="Visible step", owner=None, planned_minutes=10)
    CutoverTaskFactory(
        project=project, runbook=runbook, title="Secret step", owner=None, planned_minutes=10, internal=True
    )
    result = _run(project, pm).results.get()
    assert result.result == "fail" and result.evidence_total == 2
    assert ["Visible step" in e["label"] for e in result.evidence] == [True]
    assert ["Secret step" in e["label"] for e in result.evidence_internal] == [True]


def test_a_second_run_while_one_is_active_is_refused_and_a_queued_run_can_be_cancelled(project, pm):
    run = services.readiness_run_request(project=project, by=pm)
    with pytest.raises(DomainError, match="already running"):
        services.readiness_run_request(project=project, by=pm)
    cancelled = services.readiness_run_cancel(run=run, by=pm)
    assert cancelled.status == "cancelled"
    assert services.readiness_run_claim(run_id=run.pk, worker="late") == (None, "")
    with pytest.raises(DomainError, match="already ended"):
        services.readiness_run_cancel(run=cancelled, by=pm)


def test_a_claimed_run_is_not_claimed_twice_until_its_lease_expires(project, pm):
    run = services.readiness_run_request(project=project, by=pm)
    first, token = services.readiness_run_claim(run_id=run.pk, worker="one")
    assert first is not None and services.readiness_run_claim(run_id=run.pk, worker="two") == (None, "")
    ReadinessRun.objects.filter(pk=run.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    second, second_token = services.readiness_run_claim(run_id=run.pk, worker="two")
    assert second is not None and second_token != token
    # the first worker lost its lease: it stops at its next criterion and records nothing more
    assert services.readiness_run_execute(run=first, token=token).results.count() == 0
    finished = services.readiness_run_execute(run=second, token=second_token)
    assert finished.status == "succeeded" and finished.results.count() == finished.criteria_total


def test_the_schedule_checks_projects_near_go_live_once_a_day(db):
    today = timezone.localdate()
    near = ProjectFactory(planned_start=today - timedelta(days=200), planned_golive=today + timedelta(days=20))
    far = ProjectFactory(planned_start=today - timedelta(days=10), planned_golive=today + timedelta(days=200))
    started = services.readiness_runs_schedule(today=today)
    assert ReadinessRun.objects.filter(pk__in=started).get().project == near
    assert not far.readiness_runs.exists()
    # the run is still queued: the next call finds it and starts nothing; once it is done, still one a day
    assert services.readiness_runs_schedule(today=today) == []
    ReadinessRun.objects.filter(project=near).update(status="succeeded")
    assert services.readiness_runs_schedule(today=today) == []
    assert near.readiness_runs.get().trigger == "scheduled"


def test_criteria_parameters_are_checked_against_the_rule(project, pm):
    with pytest.raises(DomainError) as unknown:
        services.criterion_create(project=project, by=pm, code="X-1", title="t", category="testing", rule="nope")
    assert unknown.value.field == "rule"
    with pytest.raises(DomainError) as bad:
        services.criterion_create(
            project=project, by=pm, code="X-2", title="t", category="testing", rule="pass_rate",
            parameters={"threshold": 140},
        )  # fmt: skip
    assert bad.value.field == "parameters"
    made = services.criterion_create(
        project=project, by=pm, code="X-3", title="UAT 98 %", category="testing", rule="pass_rate",
        parameters={"threshold": "98"},
    )  # fmt: skip
    assert made.parameters == {"threshold": 98.0}
    with pytest.raises(DomainError):
        services.criterion_update(criterion=made, by=pm, version=made.version, parameters={"colour": "red"})


def test_a_client_role_cannot_start_a_run_or_edit_criteria(project, key_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.readiness_run_request(project=project, by=key_user)
    with pytest.raises(PermissionDenied):
        services.criterion_create(project=project, by=key_user, code="K-1", title="t", category="scope", kind="manual")
    assert not ReadinessCriterion.objects.filter(code="K-1").exists()
