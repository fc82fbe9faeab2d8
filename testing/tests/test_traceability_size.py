"""The traceability matrix at size: paged, filtered across pages, in queries that do not grow.

A project of 5,000 requirements and 20,000 test cases made the page ask 4,511 queries
(28-30 s), the API and the XLSX export 18-20 s: every case was loaded with its links and
every execution walked in Python.
"""

import io
import sys
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from phases.design.tests.factories import ProcessDesignFactory, RequirementFactory
from phases.development.tests.factories import DevelopmentItemFactory
from phases.discovery.models import Requirement
from testing import selectors
from testing.models import Execution
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory, DefectFactory, ExecutionFactory

pytestmark = pytest.mark.django_db

BUDGET = 25
E = Execution.Status


def _run(cycle, case, tester, status, *, days_ago=0, run=1, cycle_case=None):
    cycle_case = cycle_case or CycleCaseFactory(cycle=cycle, case=case)
    when = timezone.now() - timedelta(days=days_ago)
    finished = None if status == E.IN_PROGRESS else when
    return ExecutionFactory(
        cycle_case=cycle_case, tester=tester, status=status, run=run, started_at=when, finished_at=finished
    )


def _matrix(project, tester, count: int, *, start: int = 0) -> dict:
    """``count`` requirements REQ-<n>, four kinds in turn, and what their rows must show:

    n % 4 == 0: a design → an item naming no requirement → a passed case;
    n % 4 == 1: an item linked to it → a failed case with an open defect (and a closed one);
    n % 4 == 2: a case linked to it, never run, and an open defect on its item;
    n % 4 == 3: nothing (no test).
    """
    cycle = CycleFactory(project=project)
    expected = {}
    for n in range(start, start + count):
        req = RequirementFactory(project=project, code=f"REQ-{n:04d}")
        row = {"designs": [], "items": [], "cases": [], "defects": []}
        if n % 4 == 0:
            design = ProcessDesignFactory(project=project, requirements=[req])
            item = DevelopmentItemFactory(project=project)
            item.process_designs.set([design])
            case = CaseFactory(project=project, code=f"TC-{n:04d}", steps=0)
            case.development_items.set([item])
            _run(cycle, case, tester, E.PASSED)
            row.update(designs=[design.code], items=[item.code], cases=[(case.code, "passed")], coverage="passed")
        elif n % 4 == 1:
            item = DevelopmentItemFactory(project=project)
            item.requirements.set([req])
            case = CaseFactory(project=project, code=f"TC-{n:04d}", steps=0)
            case.development_items.set([item])
            _run(cycle, case, tester, E.FAILED)
            defect = DefectFactory(project=project, case=case, status="open", reported_by=tester)
            DefectFactory(project=project, case=case, status="closed", reported_by=tester)
            row.update(items=[item.code], cases=[(case.code, "failed")], defects=[defect.code], coverage="failed")
        elif n % 4 == 2:
            item = DevelopmentItemFactory(project=project)
            case = CaseFactory(project=project, code=f"TC-{n:04d}", steps=0)
            case.requirements.set([req])
            case.development_items.set([item])
            defect = DefectFactory(project=project, development_item=item, status="retest", reported_by=tester)
            row.update(items=[item.code], cases=[(case.code, "not_run")], defects=[defect.code], coverage="not_run")
        else:
            row["coverage"] = "no_test"
        expected[req.code] = row
    return expected


def _shown(row) -> dict:
    return {
        "designs": [d.code for d in row.designs],
        "items": [i.code for i in row.items],
        "cases": [(c.case.code, c.result) for c in row.cases],
        "defects": [d.code for d in row.open_defects],
        "coverage": row.coverage,
    }


def _shown_by_api(row) -> dict:
    return {
        "designs": [d["code"] for d in row["designs"]],
        "items": [i["code"] for i in row["development_items"]],
        "cases": [(c["code"], c["result"]) for c in row["test_cases"]],
        "defects": [d["code"] for d in row["open_defects"]],
        "coverage": row["coverage"],
    }


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        assert response.status_code == 200
        if response.streaming:
            response.getvalue()  # an export reads its rows while it streams
    return len(captured)


# --- queries ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["pm", "key_user"])
@pytest.mark.parametrize(
    "route, params",
    [
        ("testing:traceability", {}),
        ("testing:traceability", {"coverage": "failed", "status": "agreed", "q": "REQ"}),
        ("testing:traceability_export", {}),
        ("testing:traceability_export", {"coverage": "no_test"}),
    ],
)
def test_the_page_and_the_export_ask_the_same_few_queries_at_any_size(route, params, who, project, request, client):
    user = request.getfixturevalue(who)
    url = reverse(route, args=[project.code])
    client.force_login(user)
    _matrix(project, user, 4)
    small = _queries(client, url, params)
    _matrix(project, user, 36, start=4)
    assert _queries(client, url, params) == small <= BUDGET


@pytest.mark.parametrize("params", [{}, {"coverage": "not_run"}, {"page_size": 10, "page": 2}])
def test_the_api_asks_the_same_few_queries_at_any_size(params, project, pm, api_client_for):
    client = api_client_for(pm)
    url = reverse("testing-api:traceability-list")
    _matrix(project, pm, 4)
    params = {"project": project.code, **params}
    small = _queries(client, url, {**params, "page": 1})
    _matrix(project, pm, 36, start=4)
    assert _queries(client, url, params) == small <= BUDGET


# --- what a page shows --------------------------------------------------------------------


def test_each_page_shows_the_designs_items_cases_results_and_defects_of_its_requirements(project, pm, client):
    expected = _matrix(project, pm, 55)
    client.force_login(pm)
    url = reverse("testing:traceability", args=[project.code])
    first, second = client.get(url), client.get(url, {"page": 2})
    assert [row.requirement.code for row in first.context["rows"]] == sorted(expected)[:50]
    assert [row.requirement.code for row in second.context["rows"]] == sorted(expected)[50:]
    for row in first.context["rows"] + second.context["rows"]:
        assert _shown(row) == expected[row.requirement.code], row.requirement.code
    assert "Page 2 of 2 (55 items)" in second.content.decode()
    assert second.context["coverage"].agreed_requirements == 55  # the figures are the project's, not the page's
    assert second.context["coverage"].agreed_without_test == 13


def test_the_coverage_filter_works_across_pages_and_the_links_keep_the_filters(project, pm, client, api_client_for):
    expected = _matrix(project, pm, 110)
    failed = sorted(code for code, row in expected.items() if row["coverage"] == "failed")
    client.force_login(pm)
    url = reverse("testing:traceability", args=[project.code])
    response = client.get(url, {"coverage": "failed", "q": "REQ"})
    assert response.context["page_obj"].paginator.count == len(failed) == 28
    assert [row.requirement.code for row in response.context["rows"]] == failed
    everything = client.get(url, {"q": "REQ-0"})
    html = everything.content.decode()
    assert "?q=REQ-0&page=2" in html  # the next page keeps the filter
    assert f'href="{reverse("testing:traceability_export", args=[project.code])}?q=REQ-0"' in html
    api = api_client_for(pm)
    pages, params = [], {"project": project.code, "coverage": "failed", "page_size": 12}
    for number in (1, 2, 3):
        body = api.get(reverse("testing-api:traceability-list"), {**params, "page": number}).json()
        assert body["count"] == 28 and body["coverage"]["agreed_without_test"] == 27
        pages += [r["requirement"]["code"] for r in body["results"]]
        for row in body["results"]:
            assert _shown_by_api(row) == expected[row["requirement"]["code"]]
    assert pages == failed and body["next"] is None and "page=2" in body["previous"]


def test_the_api_pages_like_every_list_and_refuses_unknown_filters(project, pm, api_client_for):
    _matrix(project, pm, 7)
    client = api_client_for(pm)
    url = reverse("testing-api:traceability-list")
    body = client.get(url, {"project": project.code, "page_size": 3, "page": 2}).json()
    assert set(body) == {"project", "coverage", "count", "next", "previous", "results"}
    assert body["count"] == 7 and [r["requirement"]["code"] for r in body["results"]] == [
        "REQ-0003",
        "REQ-0004",
        "REQ-0005",
    ]
    assert client.get(url, {"project": project.code, "page": 9}).status_code == 404
    for bad in ({"coverage": "maybe"}, {"status": "nearly"}, {"business_area": "space"}):
        refused = client.get(url, {"project": project.code, **bad})
        assert refused.status_code == 400 and list(bad)[0] in refused.json()
    two = client.get(url, {"project": project.code, "status": ["agreed", "draft"], "business_area": "procurement"})
    assert two.json()["count"] == 7


def test_the_export_holds_every_filtered_row_in_chunks(project, pm, client, monkeypatch):
    monkeypatch.setattr(sys.modules["testing.selectors.traceability"], "CHUNK_SIZE", 4)
    expected = _matrix(project, pm, 11)
    Requirement.objects.filter(code="REQ-0003").update(title="#N/A")  # text, not an error value
    client.force_login(pm)
    response = client.get(reverse("testing:traceability_export", args=[project.code]))
    assert response.streaming
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [line[0] for line in lines] == sorted(expected)
    by_code = {line[0]: line for line in lines}
    assert by_code["REQ-0001"][5].startswith("TC-0001 ") and by_code["REQ-0001"][6] == "TC-0001: Failed"
    assert by_code["REQ-0002"][7].startswith(expected["REQ-0002"]["defects"][0])
    assert by_code["REQ-0003"][1] == "#N/A" and sheet["B5"].data_type == "s"
    assert [by_code[code][8] for code in ("REQ-0000", "REQ-0001", "REQ-0002", "REQ-0003")] == [
        "Passed",
        "Failed",
        "Not run",
        "No test",
    ]


def test_a_case_shows_its_latest_finished_result_across_cycles_and_an_open_run_as_in_progress(project, pm):
    req = RequirementFactory(project=project, code="REQ-1")
    rerun, running = CaseFactory(project=project, code="TC-1", steps=0), CaseFactory(project=project, code="TC-2")
    rerun.requirements.set([req])
    first, second = CycleFactory(project=project), CycleFactory(project=project)
    _run(first, rerun, pm, E.FAILED, days_ago=3)
    passed = _run(second, rerun, pm, E.PASSED, days_ago=1)
    _run(second, rerun, pm, E.IN_PROGRESS, run=2, cycle_case=passed.cycle_case)  # a re-run still open
    running.requirements.set([req])
    _run(first, running, pm, E.IN_PROGRESS)
    [row] = selectors.traceability(user=pm, project=project)
    assert [(c.case.code, c.result) for c in row.cases] == [("TC-1", "passed"), ("TC-2", "in_progress")]
    assert row.coverage == "in_progress"
    figures = selectors.coverage(user=pm, project=project)
    assert (figures.cases, figures.cases_passed, figures.cases_not_run, figures.cases_failed) == (2, 1, 1, 0)
    status = selectors.testing_status(project=project)
    assert (status.cases, status.cases_not_run, status.cases_failed) == (2, 1, 0)
