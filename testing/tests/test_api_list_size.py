"""API lists of the testing app at size: the same few queries at any page or project size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from testing import services
from testing.models import Cycle
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory

BUDGET = 25


def _grow(project, tester, n):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    for _ in range(n):
        cc = CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project, steps=1), assignee=tester)
        run = services.execution_start(cycle_case=cc, by=tester)
        step = services.execution_record_step(execution=run, by=tester, order=1, status="failed")
        services.execution_finish(execution=run, by=tester)
        defect = services.defect_create(project=project, by=tester, title="Lỗi", step_result=step)
        services.defect_comment_add(defect=defect, by=tester, body="Xem ảnh")
        services.defect_create(project=project, by=tester, title="Lỗi khác")


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("route", ["defect-list", "execution-list", "case-list", "cycle-list"])
def test_a_list_asks_the_same_few_queries_at_any_page_or_project_size(route, project, key_user, api_client_for):
    client = api_client_for(key_user)
    url = reverse(f"testing-api:{route}")
    _grow(project, key_user, 2)
    small = _queries(client, url, project=project.code, page_size=10)
    _grow(project, key_user, 12)
    assert _queries(client, url, project=project.code, page_size=10) == small
    assert _queries(client, url, project=project.code, page_size=100) == small <= BUDGET


def test_a_defect_list_leaves_comments_and_step_details_to_the_detail(project, key_user, api_client_for):
    _grow(project, key_user, 1)
    client = api_client_for(key_user)
    listed = client.get(reverse("testing-api:defect-list"), {"project": project.code}).json()["results"]
    raised = next(row for row in listed if row["step"] == 1)
    assert "comments" not in raised and "step_result" not in raised
    detail = client.get(reverse("testing-api:defect-detail", args=[raised["id"]])).json()
    assert detail["comments"][0]["body"] == "Xem ảnh"
    assert detail["step_result"]["order"] == 1 and detail["step_result"]["status"] == "failed"
