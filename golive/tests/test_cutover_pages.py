"""The cutover pages as people use them: the runbook, task forms, the live board (a start
button, the htmx partial, the checkpoint stop), the Gantt and the portal's own tasks."""

import pytest
from django.urls import reverse

from golive import services as svc
from golive.models import CutoverRun, CutoverRunTask, TaskType
from golive.tests.factories_cutover import CutoverTaskFactory

S = CutoverRunTask.State


@pytest.fixture
def run(project, pm, key_user):
    first = CutoverTaskFactory(project=project, title="Freeze legacy", owner=key_user, stream="Finance")
    CutoverTaskFactory(project=project, title="Load balances", predecessors=[first], stream="Data")
    return svc.cutover_run_start(runbook=first.runbook, by=pm, kind=CutoverRun.Kind.REHEARSAL)


def test_runbook_page_lists_tasks_with_float_and_critical(project, run, client_of):
    page = client_of("pm").get(reverse("golive:runbook", args=[project.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "CT-001" in body and "Freeze legacy" in body and "critical path" in body
    assert "Apply last rehearsal" not in body  # the rehearsal has not completed


def test_task_create_and_edit_forms(project, pm, client_of):
    client = client_of("pm")
    created = client.post(
        reverse("golive:cutover_task_create", args=[project.code]),
        {"title": "Backup", "type": TaskType.NORMAL, "planned_minutes": 20, "stream": "Infra"},
    )
    assert created.status_code == 302
    task = project.cutover_tasks.get(code="CT-001")
    form = client.get(reverse("golive:cutover_task_edit", args=[project.code, task.pk]))
    assert form.status_code == 200 and "Backup" in form.content.decode()
    loop = client.post(
        reverse("golive:cutover_task_edit", args=[project.code, task.pk]),
        {"title": "Backup", "type": TaskType.NORMAL, "version": task.version, "predecessors": []},
    )
    assert loop.status_code == 302
    task.refresh_from_db()
    assert task.planned_minutes is None  # the form sent an empty duration


def test_board_renders_with_htmx_refresh_and_start_button_works(project, run, client_of):
    client = client_of("key_user")
    board = client.get(reverse("golive:cutover_run", args=[project.code, run.pk]))
    assert board.status_code == 200
    body = board.content.decode()
    assert 'hx-trigger="every 10s"' in body and "Forecast end" in body
    task = run.tasks.get(code="CT-001")
    started = client.post(
        reverse("golive:cutover_run_task_start", args=[project.code, task.pk]), HTTP_HX_REQUEST="true"
    )
    assert started.status_code == 200 and 'id="board-body"' in started.content.decode()
    task.refresh_from_db()
    assert task.state == S.IN_PROGRESS
    partial = client.get(reverse("golive:cutover_run_board", args=[project.code, run.pk]))
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert "In progress" in partial.content.decode()


def test_board_shows_the_checkpoint_stop(project, pm, client_of):
    load = CutoverTaskFactory(project=project, rollback="Restore")
    gate = CutoverTaskFactory(project=project, type=TaskType.CHECKPOINT, planned_minutes=0, predecessors=[load])
    live = svc.cutover_run_start(runbook=load.runbook, by=pm, kind=CutoverRun.Kind.LIVE)
    svc.cutover_run_task_finish(task=svc.cutover_run_task_start(task=live.tasks.get(task=load), by=pm), by=pm)
    gate_row = svc.cutover_run_task_start(task=live.tasks.get(task=gate), by=pm)
    client = client_of("pm")
    client.post(reverse("golive:cutover_run_task_finish", args=[project.code, gate_row.pk]), {"passed": "false"})
    body = client.get(reverse("golive:cutover_run", args=[project.code, live.pk])).content.decode()
    assert "Stopped by checkpoint CT-002" in body and "rollback open" in body


def test_skip_rebaseline_cancel_and_gantt(project, run, client_of):
    client = client_of("pm")
    task = run.tasks.get(code="CT-002")
    client.post(reverse("golive:cutover_run_task_skip", args=[project.code, task.pk]), {"reason": "not needed"})
    task.refresh_from_db()
    assert task.state == S.SKIPPED
    assert client.post(reverse("golive:cutover_run_rebaseline", args=[project.code, run.pk])).status_code == 302
    gantt = client.get(reverse("golive:cutover_run_gantt", args=[project.code, run.pk]))
    assert gantt.status_code == 200 and "cutover-gantt" in gantt.content.decode()
    client.post(reverse("golive:cutover_run_cancel", args=[project.code, run.pk]))
    run.refresh_from_db()
    assert run.status == CutoverRun.Status.CANCELLED


def test_portal_lists_my_tasks_and_starts_one(project, run, client_of):
    client = client_of("key_user")
    page = client.get(reverse("golive-portal:cutover_my_tasks", args=[project.code]))
    body = page.content.decode()
    assert page.status_code == 200 and "Freeze legacy" in body and "Load balances" not in body
    task = run.tasks.get(code="CT-001")
    client.post(reverse("golive-portal:cutover_my_task_start", args=[project.code, task.pk]))
    client.post(reverse("golive-portal:cutover_my_task_finish", args=[project.code, task.pk]))
    task.refresh_from_db()
    assert task.state == S.COMPLETE
