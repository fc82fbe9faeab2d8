"""Traceability and coverage numbers on a seeded project, and the cycle charts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from phases.design.tests.factories import ProcessDesignFactory, RequirementFactory
from phases.development.tests.factories import DevelopmentItemFactory
from phases.discovery.models import Requirement
from testing import selectors, services
from testing.models import Cycle, Execution
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory, DefectFactory, ExecutionFactory

pytestmark = pytest.mark.django_db


def _finished(cc, status, when, tester, run=1):
    return ExecutionFactory(cycle_case=cc, run=run, status=status, started_at=when, finished_at=when, tester=tester)


@pytest.fixture
def seeded(project, consultant):
    """Five requirements (four agreed), a design, two development items, four cases, runs and defects.

    REQ-1 agreed → PD-1 → DEV-1 → TC-1 (passed)
    REQ-2 agreed → DEV-2 (linked to the requirement) → TC-2 (failed, then an open critical defect)
    REQ-3 agreed → TC-3 (never run)
    REQ-4 agreed, no test
    REQ-5 draft, no test (not counted as agreed)
    TC-4 is linked to nothing and blocked.
    """
    r1, r2, r3, r4 = (RequirementFactory(project=project, code=f"REQ-{n}") for n in range(1, 5))
    r5 = RequirementFactory(project=project, code="REQ-5", status=Requirement.Status.DRAFT)
    design = ProcessDesignFactory(project=project, requirements=[r1])
    item1 = DevelopmentItemFactory(project=project)
    item1.process_designs.set([design])
    item2 = DevelopmentItemFactory(project=project)
    item2.requirements.set([r2])
    tc1, tc2, tc3, tc4 = (CaseFactory(project=project, code=f"TC-{n}") for n in range(1, 5))
    tc1.development_items.set([item1])
    tc2.development_items.set([item2])
    tc3.requirements.set([r3])
    cycle = CycleFactory(project=project)
    ccs = [CycleCaseFactory(cycle=cycle, case=c) for c in (tc1, tc2, tc3, tc4)]
    now = timezone.now()
    _finished(ccs[0], Execution.Status.FAILED, now - timedelta(days=2), consultant)
    _finished(ccs[0], Execution.Status.PASSED, now - timedelta(days=1), consultant, run=2)
    _finished(ccs[1], Execution.Status.FAILED, now - timedelta(days=1), consultant)
    _finished(ccs[3], Execution.Status.BLOCKED, now, consultant)
    critical = DefectFactory(project=project, case=tc2, cycle=cycle, severity="critical", status="open")
    DefectFactory(project=project, case=tc1, cycle=cycle, status="closed")
    on_item = DefectFactory(project=project, development_item=item1, status="retest")
    return {
        "reqs": [r1, r2, r3, r4, r5],
        "design": design,
        "items": [item1, item2],
        "cases": [tc1, tc2, tc3, tc4],
        "cycle": cycle,
        "critical": critical,
        "on_item": on_item,
    }


def test_traceability_rows_follow_requirement_to_defects(project, seeded, viewer):
    rows = {row.requirement.code: row for row in selectors.traceability(user=viewer, project=project)}
    assert list(rows) == ["REQ-1", "REQ-2", "REQ-3", "REQ-4", "REQ-5"]
    r1 = rows["REQ-1"]
    assert [d.pk for d in r1.designs] == [seeded["design"].pk]
    assert [i.pk for i in r1.items] == [seeded["items"][0].pk]
    assert [(c.case.code, c.result) for c in r1.cases] == [("TC-1", "passed")]
    assert [d.pk for d in r1.open_defects] == [seeded["on_item"].pk]  # the closed one is not listed
    r2 = rows["REQ-2"]
    assert [(c.case.code, c.result) for c in r2.cases] == [("TC-2", "failed")]
    assert [d.pk for d in r2.open_defects] == [seeded["critical"].pk]
    assert r2.coverage == "failed"
    assert [(c.case.code, c.result) for c in rows["REQ-3"].cases] == [("TC-3", "not_run")]
    assert rows["REQ-3"].coverage == "not_run"
    assert rows["REQ-4"].cases == [] and rows["REQ-4"].coverage == "no_test"
    assert r1.coverage == "passed"


def test_traceability_filters(project, seeded, viewer):
    codes = [
        r.requirement.code
        for r in selectors.traceability(user=viewer, project=project, filters={"coverage": "no_test"})
    ]
    assert codes == ["REQ-4", "REQ-5"]
    agreed = selectors.traceability(user=viewer, project=project, filters={"status": ["agreed"], "q": "REQ-2"})
    assert [r.requirement.code for r in agreed] == ["REQ-2"]


def test_coverage_figures(project, seeded, viewer):
    cov = selectors.coverage(user=viewer, project=project)
    assert cov.agreed_requirements == 4
    assert cov.agreed_without_test == 1  # REQ-4 (REQ-5 is a draft)
    assert cov.agreed_covered_percent == 75
    assert (cov.cases, cov.cases_not_run, cov.cases_failed, cov.cases_blocked, cov.cases_passed) == (4, 1, 1, 1, 1)
    assert cov.open_defects == 2


def test_traceability_api_returns_the_same_numbers(project, seeded, viewer, api_client_for):
    response = api_client_for(viewer).get("/api/v1/testing/traceability/", {"project": project.code})
    assert response.status_code == 200
    body = response.json()
    assert body["coverage"]["agreed_without_test"] == 1 and body["coverage"]["cases_failed"] == 1
    assert body["count"] == 5 and body["next"] is None  # paginated like every list (results on this page)
    row = next(r for r in body["results"] if r["requirement"]["code"] == "REQ-2")
    assert row["test_cases"][0]["result"] == "failed"
    assert row["open_defects"][0]["severity"] == "critical"
    assert row["development_items"][0]["id"] == seeded["items"][1].pk
    filtered = api_client_for(viewer).get(
        "/api/v1/testing/traceability/", {"project": project.code, "coverage": "no_test"}
    )
    assert [r["requirement"]["code"] for r in filtered.json()["results"]] == ["REQ-4", "REQ-5"]


def test_cycle_counts_and_progress_chart(project, seeded):
    cycle = seeded["cycle"]
    assert selectors.cycle_status_counts(cycle) == {"passed": 1, "failed": 1, "blocked": 1, "not_run": 1}
    chart = selectors.execution_progress_chart(cycle)
    series = {d["label"]: d["data"] for d in chart["datasets"]}
    assert chart["labels"][-1] == timezone.localdate().isoformat()
    # on the last day the series equal the counts; two days ago TC-1 had failed
    assert [series[k][-1] for k in ("Passed", "Failed", "Blocked", "Not run")] == [1, 1, 1, 1]
    two_days_ago = chart["labels"].index((timezone.localdate() - timedelta(days=2)).isoformat())
    assert series["Failed"][two_days_ago] == 1 and series["Passed"][two_days_ago] == 0


def test_defect_trend_chart(project, consultant):
    cycle = CycleFactory(project=project, status=Cycle.Status.RUNNING)
    today = timezone.now()
    for days_ago, closed_days_ago in ((3, 1), (3, None), (1, None)):
        defect = DefectFactory(project=project, cycle=cycle, status="closed" if closed_days_ago else "open")
        created = today - timedelta(days=days_ago)
        resolved = today - timedelta(days=closed_days_ago) if closed_days_ago else None
        type(defect).objects.filter(pk=defect.pk).update(created_at=created, resolved_at=resolved)
    chart = selectors.defect_trend_chart(cycle)
    opened, closed, still_open = (d["data"] for d in chart["datasets"])
    assert sum(opened) == 3 and sum(closed) == 1
    assert still_open[-1] == 2
    assert max(still_open) == 2


def test_services_open_defects_of_a_cycle(project, seeded):
    open_codes = {d.code for d in selectors.cycle_open_defects(seeded["cycle"])}
    assert open_codes == {seeded["critical"].code}


def test_testing_status_for_readiness_checks(project, seeded, pm, sponsor, key_user):
    status = selectors.testing_status(project=project)
    assert (status.cases, status.cases_not_run, status.cases_failed) == (4, 1, 1)
    assert (status.open_defects, status.open_critical_defects) == (2, 1)
    assert status.uat_cycles == 0 and not status.uat_signed_off
    uat = CycleFactory(project=project, type=Cycle.Type.UAT)
    CycleCaseFactory(cycle=uat, case=seeded["cases"][0])
    services.cycle_signoff_request(cycle=uat, by=pm)
    uat.refresh_from_db()
    services.cycle_signoff_decide(cycle=uat, by=sponsor, decision="approved")
    assert selectors.testing_status(project=project).uat_signed_off
