"""API behaviour beyond the role matrix: flows, field errors, stale versions, query budgets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from testing import services
from testing.models import Cycle
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory, DefectFactory, LoadTestResultFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_uat_run_through_the_api(project, key_user, api_client_for):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    cc = CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project, steps=2), assignee=key_user)
    client = api_client_for(key_user)
    started = client.post(reverse("testing-api:execution-list"), {"cycle": cycle.pk, "case": cc.case.pk}, format="json")
    assert started.status_code == 201
    run = started.json()
    assert [s["status"] for s in run["step_results"]] == ["not_run", "not_run"]
    url = reverse("testing-api:execution-record-step", args=[run["id"]])
    assert client.post(url, {"order": 1, "status": "passed"}, format="json").status_code == 200
    finish = client.post(reverse("testing-api:execution-finish", args=[run["id"]]), {}, format="json")
    assert finish.status_code == 400
    assert finish.json() == {"detail": services.STEPS_NOT_RUN.format(n=1)}
    client.post(url, {"order": 2, "status": "failed", "actual_result": "Lỗi"}, format="json")
    bad = client.post(
        reverse("testing-api:execution-evidence", args=[run["id"]]),
        {"file": SimpleUploadedFile("x.html", b"<html>")},
        format="multipart",
    )
    assert bad.status_code == 400 and "file" in bad.json()
    good = client.post(
        reverse("testing-api:execution-evidence", args=[run["id"]]),
        {"file": SimpleUploadedFile("x.png", PNG), "step": 2},
        format="multipart",
    )
    assert good.status_code == 201 and good.json()["step"] == 2
    done = client.post(
        reverse("testing-api:execution-finish", args=[run["id"]]), {"actual_result": "Lỗi"}, format="json"
    )
    assert done.json()["status"] == "failed"
    step_id = done.json()["step_results"][1]["id"]
    defect = client.post(
        reverse("testing-api:defect-list"),
        {"project": project.code, "title": "Lỗi bước 2", "severity": "critical", "step_result": step_id},
        format="json",
    )
    assert defect.status_code == 201
    assert defect.json()["case"]["id"] == cc.case.pk and defect.json()["step"] == 2
    assert defect.json()["next_statuses"] == ["open", "rejected", "deferred"]


def test_unassigned_execution_via_api_is_a_clear_400(project, key_user, sponsor, api_client_for):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    cc = CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project), assignee=sponsor)
    response = api_client_for(key_user).post(
        reverse("testing-api:execution-list"), {"cycle": cycle.pk, "case": cc.case.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("You can only execute cases assigned to you")


def test_illegal_transition_via_api(project, pm, api_client_for):
    defect = DefectFactory(project=project, status="new")
    response = api_client_for(pm).post(
        reverse("testing-api:defect-transition", args=[defect.pk]), {"to_status": "closed"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"to_status": [services.ILLEGAL_TRANSITION.format(current="new", target="closed")]}


def test_stale_version_answers_409(project, consultant, api_client_for):
    case = CaseFactory(project=project)
    client = api_client_for(consultant)
    url = reverse("testing-api:case-detail", args=[case.pk])
    assert client.patch(url, {"version": 1, "title": "Bản 2"}, format="json").status_code == 200
    stale = client.patch(url, {"version": 1, "title": "Bản 3"}, format="json")
    assert stale.status_code == 409
    case.refresh_from_db()
    assert case.title == "Bản 2"
    defect = DefectFactory(project=project)
    transition = reverse("testing-api:defect-transition", args=[defect.pk])
    assert client.post(transition, {"to_status": "open", "version": 7}, format="json").status_code == 409


def test_mass_assignment_is_ignored(project, key_user, api_client_for):
    response = api_client_for(key_user).post(
        reverse("testing-api:defect-list"),
        {"project": project.code, "title": "x", "status": "closed", "code": "DEF-999", "reported_by": 1},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["code"], body["reported_by"]["id"]) == ("new", "DEF-001", key_user.pk)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("route", ["case-list", "cycle-list", "execution-list", "defect-list", "load-test-result-list"])
def test_list_query_count_does_not_grow_with_rows(project, key_user, viewer, api_client_for, route):
    def add_rows():
        cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
        cc = CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project), assignee=key_user)
        run = services.execution_start(cycle_case=cc, by=key_user)
        step = services.execution_record_step(execution=run, by=key_user, order=1, status="failed")
        services.evidence_add(execution=run, by=key_user, file=SimpleUploadedFile("a.png", PNG), step_order=1)
        defect = services.defect_create(project=project, by=key_user, title="x", step_result=step)
        services.defect_comment_add(defect=defect, by=key_user, body="c")
        LoadTestResultFactory(project=project)

    client = api_client_for(viewer)
    url = reverse(f"testing-api:{route}")
    add_rows()
    few = _count(client, url)
    for _ in range(3):
        add_rows()
    assert _count(client, url) == few


def test_list_filters(project, key_user, sponsor, consultant, api_client_for):
    uat = CycleFactory(project=project, type=Cycle.Type.UAT)
    sit = CycleFactory(project=project, type=Cycle.Type.INTEGRATION, status=Cycle.Status.COMPLETED)
    mine = CycleCaseFactory(cycle=uat, case=CaseFactory(project=project, type="uat"), assignee=key_user)
    CycleCaseFactory(cycle=sit, case=CaseFactory(project=project, type="integration"), assignee=consultant)
    run = services.execution_start(cycle_case=mine, by=key_user)
    DefectFactory(project=project, cycle=uat, severity="critical", assignee=consultant)
    DefectFactory(project=project, severity="minor")
    client = api_client_for(sponsor)

    def ids(route, **params):
        return {row["id"] for row in client.get(reverse(f"testing-api:{route}"), params).json()["results"]}

    assert ids("cycle-list", type="uat") == {uat.pk}
    assert ids("cycle-list", status="completed") == {sit.pk}
    assert ids("cycle-list", assignee=key_user.username) == {uat.pk}
    assert ids("case-list", type="uat") == {mine.case_id}
    assert ids("case-list", cycle=sit.pk) == {sit.cycle_cases.get().case_id}
    assert ids("execution-list", cycle=uat.pk, status="in_progress") == {run.pk}
    assert ids("execution-list", assignee=key_user.username, type="uat") == {run.pk}
    assert ids("execution-list", status="passed") == set()
    assert len(ids("defect-list", severity="critical", assignee=consultant.username, cycle=uat.pk)) == 1
    assert len(ids("defect-list", project=project.code, open="true")) == 2


def test_evidence_for_a_step_the_run_does_not_have_names_the_request_field_step(project, key_user, api_client_for):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    cc = CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project, steps=2), assignee=key_user)
    run = services.execution_start(cycle_case=cc, by=key_user)

    response = api_client_for(key_user).post(
        reverse("testing-api:execution-evidence", args=[run.pk]),
        {"file": SimpleUploadedFile("x.png", PNG), "step": 7},
        format="multipart",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["step"]  # the field the request sent, not the service's step_order
    assert not run.evidence.exists()
