"""The cutover runbook API as an integrator uses it: every endpoint, 409 on a stale version,
400s naming the field (a loop, an illegal move, a missing reason)."""

import pytest
from django.urls import reverse

from golive import services as svc
from golive.models import CutoverRun, CutoverRunTask
from golive.tests.factories_cutover import CutoverTaskFactory

S = CutoverRunTask.State


@pytest.fixture
def plan(project, pm, key_user):
    a = CutoverTaskFactory(project=project, title="Freeze", owner=key_user)
    b = CutoverTaskFactory(project=project, title="Load", predecessors=[a], stream="Data")
    return a, b


def url(name, *args):
    return reverse(f"golive-api:{name}", args=args)


def test_runbook_retrieve_and_update_with_version(project, client_of):
    pm = client_of("pm")
    got = pm.get(url("runbook-detail", project.code))
    assert got.status_code == 200 and got.json()["project"] == project.code
    version = got.json()["version"]
    changed = pm.patch(url("runbook-detail", project.code), {"window_hours": 36, "version": version}, format="json")
    assert changed.status_code == 200 and changed.json()["window_hours"] == 36
    stale = pm.patch(url("runbook-detail", project.code), {"window_hours": 12, "version": version}, format="json")
    assert stale.status_code == 409
    assert pm.get(url("runbook-list")).json()["count"] == 1


def test_task_crud_and_loop_refused(project, plan, client_of):
    a, b = plan
    pm = client_of("pm")
    created = pm.post(
        url("cutover-task-list"),
        {"project": project.code, "title": "Open", "predecessors": [b.pk], "planned_minutes": 15},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["code"] == "CT-003" and created.json()["predecessors"] == [b.pk]
    loop = pm.patch(url("cutover-task-detail", a.pk), {"predecessors": [created.json()["id"]], "version": 1},
                    format="json")  # fmt: skip
    assert loop.status_code == 400
    assert "CT-001 → CT-002 → CT-003 → CT-001" in str(loop.json())
    assert "predecessors" in loop.json().get("fields", loop.json())
    stale = pm.patch(url("cutover-task-detail", a.pk), {"title": "x", "version": 99}, format="json")
    assert stale.status_code == 409
    listed = pm.get(url("cutover-task-list"), {"project": project.code, "stream": "Data"})
    assert [row["code"] for row in listed.json()["results"]] == ["CT-002"]
    assert pm.delete(url("cutover-task-detail", created.json()["id"])).status_code == 204


def test_duration_from_load_without_a_load_is_400(plan, client_of):
    answer = client_of("pm").post(url("cutover-task-duration-from-load", plan[0].pk))
    assert answer.status_code == 400


def test_run_start_moves_and_illegal_move(project, plan, client_of):
    a, b = plan
    pm, key_user = client_of("pm"), client_of("key_user")
    started = pm.post(url("cutover-run-list"), {"project": project.code, "kind": "rehearsal"}, format="json")
    assert started.status_code == 201, started.content
    run_id = started.json()["id"]
    again = pm.post(url("cutover-run-list"), {"project": project.code, "kind": "live"}, format="json")
    assert again.status_code == 400
    rows = pm.get(url("cutover-run-task-list"), {"run": run_id}).json()["results"]
    ids = {row["code"]: row["id"] for row in rows}
    illegal = key_user.post(url("cutover-run-task-finish", ids["CT-001"]), {}, format="json")
    assert illegal.status_code == 400 and "Allowed: in progress" in str(illegal.json())
    assert (
        key_user.post(url("cutover-run-task-start", ids["CT-001"]), {}, format="json").json()["state"] == S.IN_PROGRESS
    )
    assert key_user.post(url("cutover-run-task-finish", ids["CT-001"]), {}, format="json").json()["state"] == S.COMPLETE
    no_reason = pm.post(url("cutover-run-task-skip", ids["CT-002"]), {"reason": ""}, format="json")
    assert no_reason.status_code == 400
    skipped = pm.post(url("cutover-run-task-skip", ids["CT-002"]), {"reason": "not needed"}, format="json")
    assert skipped.json()["state"] == S.SKIPPED
    assert pm.get(url("cutover-run-detail", run_id)).json()["status"] == CutoverRun.Status.COMPLETED
    applied = pm.post(url("cutover-run-apply-durations", run_id))
    assert applied.status_code == 200 and applied.json()["changed"] == 1


def test_stale_move_is_409(project, plan, pm, client_of):
    run = svc.cutover_run_start(runbook=plan[0].runbook, by=pm, kind="rehearsal")
    task = run.tasks.get(code="CT-001")
    answer = client_of("pm").post(url("cutover-run-task-start", task.pk), {"version": task.version + 5}, format="json")
    assert answer.status_code == 409


def test_rebaseline_and_cancel(project, plan, pm, client_of):
    run = svc.cutover_run_start(runbook=plan[0].runbook, by=pm, kind="rehearsal")
    client = client_of("consultant")
    assert client.post(url("cutover-run-rebaseline", run.pk)).status_code == 200
    assert client.post(url("cutover-run-cancel", run.pk)).json()["status"] == CutoverRun.Status.CANCELLED
    assert client.post(url("cutover-run-cancel", run.pk)).status_code == 400
    assert client_of("key_user").post(url("cutover-run-rebaseline", run.pk)).status_code == 403
