"""Role matrix of every cutover route, pages, portal and API: who gets what, and another
project's member gets 404. ``CUTOVER_COVERED`` lists the URL names (aggregated by the lead)."""

import pytest
from django.urls import reverse

from golive import services as svc
from golive.models import CutoverRun
from golive.tests.factories_cutover import CutoverTaskFactory
from projects.tests.isolation import matrix_cases

ALL_200 = {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404}
LIST_200 = {**ALL_200, "outsider": 200}  # a list is scoped: the outsider sees none of these rows


def firm(ok, *, others=403):
    return {"pm": ok, "consultant": ok, "sponsor": others, "key_user": others, "viewer": others, "outsider": 404}


MATRIX = {
    "page:runbook": ALL_200,
    "page:task_create": firm(302),
    "page:task_edit": firm(200),
    "page:task_delete": firm(302),
    "page:task_duration": firm(302),
    "page:run_start": firm(302),
    "page:apply_durations": firm(302),
    "page:board": ALL_200,
    "page:board_partial": ALL_200,
    "page:gantt": ALL_200,
    "page:rebaseline": firm(302),
    "page:cancel": firm(302),
    "page:task_start": {**firm(302), "sponsor": 302, "key_user": 302},
    "page:task_finish": {**firm(302), "sponsor": 302, "key_user": 302},
    "page:task_skip": firm(302),
    "portal:my_tasks": ALL_200,
    "portal:start": {**firm(302), "sponsor": 302, "key_user": 302},
    "portal:finish": {**firm(302), "sponsor": 302, "key_user": 302},
    "api:runbook_list": LIST_200,
    "api:runbook_detail": ALL_200,
    "api:task_list": LIST_200,
    "api:task_detail": ALL_200,
    "api:task_duration": firm(400),
    "api:run_list": LIST_200,
    "api:run_detail": ALL_200,
    "api:run_rebaseline": firm(200),
    "api:run_cancel": firm(200),
    "api:run_apply": firm(400),
    "api:run_task_list": LIST_200,
    "api:run_task_detail": ALL_200,
    "api:run_task_start": {**firm(200), "sponsor": 400, "key_user": 200},
    "api:run_task_finish": {**firm(400), "sponsor": 400, "key_user": 400},
    "api:run_task_skip": {**firm(200), "sponsor": 400, "key_user": 400},
}

CUTOVER_COVERED = [
    "golive:runbook", "golive:cutover_task_create", "golive:cutover_task_edit", "golive:cutover_task_delete",
    "golive:cutover_task_duration_from_load", "golive:cutover_run_start", "golive:cutover_apply_durations",
    "golive:cutover_run", "golive:cutover_run_board", "golive:cutover_run_gantt", "golive:cutover_run_rebaseline",
    "golive:cutover_run_cancel", "golive:cutover_run_task_start", "golive:cutover_run_task_finish",
    "golive:cutover_run_task_skip", "golive-portal:cutover_my_tasks", "golive-portal:cutover_my_task_start",
    "golive-portal:cutover_my_task_finish", "golive-api:runbook-list", "golive-api:runbook-detail",
    "golive-api:cutover-task-list", "golive-api:cutover-task-detail", "golive-api:cutover-task-duration-from-load",
    "golive-api:cutover-run-list", "golive-api:cutover-run-detail", "golive-api:cutover-run-rebaseline",
    "golive-api:cutover-run-cancel", "golive-api:cutover-run-apply-durations", "golive-api:cutover-run-task-list",
    "golive-api:cutover-run-task-detail", "golive-api:cutover-run-task-start", "golive-api:cutover-run-task-finish",
    "golive-api:cutover-run-task-skip",
]  # fmt: skip


@pytest.fixture
def objects(project, pm, key_user):
    first = CutoverTaskFactory(project=project, title="Freeze", owner=key_user)
    CutoverTaskFactory(project=project, title="Load", predecessors=[first])
    run = svc.cutover_run_start(runbook=first.runbook, by=pm, kind=CutoverRun.Kind.REHEARSAL)
    ready = run.tasks.get(code="CT-001")
    return {"code": project.code, "task": first, "run": run, "ready": ready, "waiting": run.tasks.get(code="CT-002")}


def _in_progress(o, pm):
    task = svc.cutover_run_task_start(task=o["ready"], by=pm)
    return task


def page(name, *args):
    return reverse(f"golive:{name}", args=args)


REQUESTS = {
    "page:runbook": lambda c, o: c.get(page("runbook", o["code"])),
    "page:task_create": lambda c, o: c.post(page("cutover_task_create", o["code"]), {"title": "x", "type": "normal"}),
    "page:task_edit": lambda c, o: c.get(page("cutover_task_edit", o["code"], o["task"].pk)),
    "page:task_delete": lambda c, o: c.post(page("cutover_task_delete", o["code"], o["task"].pk)),
    "page:task_duration": lambda c, o: c.post(page("cutover_task_duration_from_load", o["code"], o["task"].pk)),
    "page:run_start": lambda c, o: c.post(page("cutover_run_start", o["code"]), {"kind": "rehearsal"}),
    "page:apply_durations": lambda c, o: c.post(page("cutover_apply_durations", o["code"], o["run"].pk)),
    "page:board": lambda c, o: c.get(page("cutover_run", o["code"], o["run"].pk)),
    "page:board_partial": lambda c, o: c.get(page("cutover_run_board", o["code"], o["run"].pk)),
    "page:gantt": lambda c, o: c.get(page("cutover_run_gantt", o["code"], o["run"].pk)),
    "page:rebaseline": lambda c, o: c.post(page("cutover_run_rebaseline", o["code"], o["run"].pk)),
    "page:cancel": lambda c, o: c.post(page("cutover_run_cancel", o["code"], o["run"].pk)),
    "page:task_start": lambda c, o: c.post(page("cutover_run_task_start", o["code"], o["ready"].pk)),
    "page:task_finish": lambda c, o: c.post(page("cutover_run_task_finish", o["code"], o["ready"].pk)),
    "page:task_skip": lambda c, o: c.post(page("cutover_run_task_skip", o["code"], o["waiting"].pk), {"reason": "r"}),
    "portal:my_tasks": lambda c, o: c.get(reverse("golive-portal:cutover_my_tasks", args=[o["code"]])),
    "portal:start": lambda c, o: c.post(
        reverse("golive-portal:cutover_my_task_start", args=[o["code"], o["ready"].pk])
    ),
    "portal:finish": lambda c, o: c.post(
        reverse("golive-portal:cutover_my_task_finish", args=[o["code"], o["ready"].pk])
    ),
    "api:runbook_list": lambda c, o: c.get(reverse("golive-api:runbook-list")),
    "api:runbook_detail": lambda c, o: c.get(reverse("golive-api:runbook-detail", args=[o["code"]])),
    "api:task_list": lambda c, o: c.get(reverse("golive-api:cutover-task-list")),
    "api:task_detail": lambda c, o: c.get(reverse("golive-api:cutover-task-detail", args=[o["task"].pk])),
    "api:task_duration": lambda c, o: c.post(
        reverse("golive-api:cutover-task-duration-from-load", args=[o["task"].pk])
    ),
    "api:run_list": lambda c, o: c.get(reverse("golive-api:cutover-run-list")),
    "api:run_detail": lambda c, o: c.get(reverse("golive-api:cutover-run-detail", args=[o["run"].pk])),
    "api:run_rebaseline": lambda c, o: c.post(reverse("golive-api:cutover-run-rebaseline", args=[o["run"].pk])),
    "api:run_cancel": lambda c, o: c.post(reverse("golive-api:cutover-run-cancel", args=[o["run"].pk])),
    "api:run_apply": lambda c, o: c.post(reverse("golive-api:cutover-run-apply-durations", args=[o["run"].pk])),
    "api:run_task_list": lambda c, o: c.get(reverse("golive-api:cutover-run-task-list")),
    "api:run_task_detail": lambda c, o: c.get(reverse("golive-api:cutover-run-task-detail", args=[o["ready"].pk])),
    "api:run_task_start": lambda c, o: c.post(reverse("golive-api:cutover-run-task-start", args=[o["ready"].pk])),
    "api:run_task_finish": lambda c, o: c.post(reverse("golive-api:cutover-run-task-finish", args=[o["ready"].pk])),
    "api:run_task_skip": lambda c, o: c.post(
        reverse("golive-api:cutover-run-task-skip", args=[o["waiting"].pk]), {"reason": "r"}, format="json"
    ),
}


def test_every_route_is_in_the_matrix():
    assert set(MATRIX) == set(REQUESTS)


@pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
def test_role_matrix(action, persona, expected, client_of, objects, pm):
    if action in {"page:task_finish", "portal:finish"}:
        _in_progress(objects, pm)
    response = REQUESTS[action](client_of(persona), objects)
    assert response.status_code == expected, (action, persona, response.status_code)


def test_outsider_lists_see_nothing(objects, client_of):
    client = client_of("outsider")
    for name in ("runbook-list", "cutover-task-list", "cutover-run-list", "cutover-run-task-list"):
        assert client.get(reverse(f"golive-api:{name}")).json()["count"] == 0
