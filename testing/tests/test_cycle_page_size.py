"""The cycle page at size: a page of its scope, filterable, in queries that do not grow.

A cycle of 20,000 cases made the page ask the database once per case (the tester's role,
the latest run) and list every case of the project in the "add cases" box.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from testing.models import Cycle, Defect, Execution
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory, DefectFactory, ExecutionFactory

BUDGET = 25


def _cycle(project, tester, size: int) -> Cycle:
    """A cycle of ``size`` cases: a third passed, a third failed (with a defect), a third not run."""
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    for n in range(size):
        cc = CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project, steps=1), assignee=tester)
        if n % 3 == 2:
            continue
        status = Execution.Status.PASSED if n % 3 == 0 else Execution.Status.FAILED
        ExecutionFactory(cycle_case=cc, tester=tester, status=status, finished_at=timezone.now())
        if status == Execution.Status.FAILED:
            DefectFactory(project=project, cycle=cycle, case=cc.case, reported_by=tester)
    return cycle


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["testing:cycle_detail", "testing:cycle_signoff"])
def test_the_cycle_pages_ask_the_same_few_queries_at_any_size(page, project, pm, key_user, client):
    small = _cycle(project, key_user, 4)
    large = _cycle(project, key_user, 75)
    client.force_login(pm)
    counts = [_queries(client, reverse(page, args=[project.code, cycle.pk])) for cycle in (small, large)]
    assert counts[0] == counts[1], counts
    assert counts[1] <= BUDGET


def test_the_cycle_summary_api_asks_the_same_few_queries_at_any_size(project, pm, key_user, api_client_for):
    small, large = _cycle(project, key_user, 4), _cycle(project, key_user, 75)
    client = api_client_for(pm)
    counts = [_queries(client, reverse("testing-api:cycle-summary", args=[c.pk])) for c in (small, large)]
    assert counts[0] == counts[1], counts
    assert counts[1] <= BUDGET


def test_the_scope_is_paged_and_counted_with_the_results_of_the_whole_cycle(project, pm, key_user, client):
    cycle = _cycle(project, key_user, 75)
    client.force_login(pm)
    response = client.get(reverse("testing:cycle_detail", args=[project.code, cycle.pk]))
    html = response.content.decode()
    assert "Page 1 of 2 (75 items)" in html
    assert response.context["counts"] == {"passed": 25, "failed": 25, "blocked": 0, "not_run": 25}
    assert len(response.context["scope"]) == 50
    assert response.context["open_defect_count"] == 25
    assert len(response.context["open_defects"]) == 20
    assert "All open defects of this cycle" in html


def test_the_scope_filters_by_latest_result_and_text(project, pm, key_user, client):
    cycle = _cycle(project, key_user, 9)
    client.force_login(pm)
    url = reverse("testing:cycle_detail", args=[project.code, cycle.pk])
    failed = client.get(url, {"result": "failed"}).context["scope"]
    assert {row.latest_status for row in failed} == {"failed"} and len(failed) == 3
    never = client.get(url, {"result": "not_run"}).context["scope"]
    assert len(never) == 3 and all(row.latest_id is None for row in never)
    one = cycle.cycle_cases.order_by("pk").first().case
    found = client.get(url, {"q": one.code}).context["scope"]
    assert [row.case.code for row in found] == [one.code]
    nothing = client.get(url, {"q": "no such case"})
    assert "No case in scope matches these filters." in nothing.content.decode()


def test_adding_cases_offers_a_search_not_every_case(project, pm, client):
    cycle = CycleFactory(project=project)
    cases = [CaseFactory(project=project, code=f"TC-{n:04d}", steps=0) for n in range(105)]
    client.force_login(pm)
    url = reverse("testing:cycle_detail", args=[project.code, cycle.pk])
    form = client.get(url).context["add_form"]
    assert len(form.fields["cases"].widget.choices) == 100 and form.more_candidates
    html = client.get(url).content.decode()
    assert "narrow the search" in html
    searched = client.get(url, {"add_q": "TC-0104"}).context["add_form"]
    assert [label for _pk, label in searched.fields["cases"].widget.choices] == ["TC-0104 " + cases[104].title]
    # A case beyond the first hundred offered can still be added.
    response = client.post(
        reverse("testing:cycle_add_cases", args=[project.code, cycle.pk]), {"cases": [cases[104].pk]}
    )
    assert response.status_code == 302
    assert list(cycle.cycle_cases.values_list("case__code", flat=True)) == ["TC-0104"]


def test_a_defect_count_beyond_the_list_links_to_all_of_them_from_the_sign_off_page(project, pm, key_user, client):
    cycle = _cycle(project, key_user, 66)
    DefectFactory(project=project, cycle=cycle, severity=Defect.Severity.CRITICAL, reported_by=key_user)
    client.force_login(pm)
    response = client.get(reverse("testing:cycle_signoff", args=[project.code, cycle.pk]))
    assert response.context["open_defect_count"] == 23
    assert response.context["open_critical_count"] == 1
    assert response.context["open_defects"][0].severity == Defect.Severity.CRITICAL


def test_the_cycle_api_counts_its_cases_and_lists_them_a_page_at_a_time(project, pm, key_user, api_client_for):
    cycle = _cycle(project, key_user, 12)
    client = api_client_for(pm)
    body = client.get(reverse("testing-api:cycle-detail", args=[cycle.pk])).json()
    assert body["case_count"] == 12 and "cases" not in body
    listed = client.get(reverse("testing-api:cycle-cases", args=[cycle.pk]), {"page_size": 5}).json()
    assert listed["count"] == 12 and len(listed["results"]) == 5
    first = listed["results"][0]
    assert first["latest_result"] == "passed" and first["latest_run"] == 1 and first["latest_run_id"]
    failed = client.get(reverse("testing-api:cycle-cases", args=[cycle.pk]), {"result": "failed"}).json()
    assert failed["count"] == 4 and {r["latest_result"] for r in failed["results"]} == {"failed"}
    refused = client.get(reverse("testing-api:cycle-cases", args=[cycle.pk]), {"result": "maybe"})
    assert refused.status_code == 400 and "result" in refused.json()
    summary = client.get(reverse("testing-api:cycle-summary", args=[cycle.pk])).json()
    assert summary["open_defect_count"] == 4 and len(summary["open_defects"]) == 4


def test_the_cycle_list_api_asks_the_same_few_queries_whatever_the_scope(project, pm, key_user, api_client_for):
    client = api_client_for(pm)
    _cycle(project, key_user, 3)
    small = _queries(client, reverse("testing-api:cycle-list"))
    _cycle(project, key_user, 40)
    assert _queries(client, reverse("testing-api:cycle-list")) == small <= BUDGET


def test_the_portal_uat_page_pages_the_testers_cases_in_the_same_few_queries(project, key_user, client):
    client.force_login(key_user)
    url = reverse("testing-portal:uat_home", args=[project.code])
    _cycle(project, key_user, 3)
    small = _queries(client, url)
    _cycle(project, key_user, 60)
    assert _queries(client, url) == small <= BUDGET
    response = client.get(url)
    assert len(response.context["assigned"]) == 50
    assert "Page 1 of 2 (63 items)" in response.content.decode()
    first = response.context["assigned"][0]
    assert first.latest_status == "passed" and first.latest_run == 1
