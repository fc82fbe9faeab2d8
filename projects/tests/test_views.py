"""Dashboard pages used as a consultant would: forms, messages, redirects."""

import pytest
from django.urls import reverse

from projects.models import Milestone, Project, Task
from projects.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_a_consultant_adds_and_edits_a_milestone(consultant, project, client):
    client.force_login(consultant)
    design = project.phases.get(kind="design")
    response = client.post(
        reverse("projects:milestone_create", args=[project.code]),
        {"phase": design.pk, "title": "BPMN review", "due_date": "2026-04-01"},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(project=project, title="BPMN review")
    response = client.post(
        reverse("projects:milestone_edit", args=[project.code, milestone.pk]),
        {
            "phase": design.pk,
            "title": "BPMN review",
            "due_date": "2026-04-01",
            "achieved_on": "2026-04-02",
            "version": 1,
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert str(milestone.achieved_on) == "2026-04-02"


def test_a_stale_task_edit_shows_the_conflict_and_keeps_the_other_change(consultant, project, client):
    task = TaskFactory(project=project, title="Original")
    Task.objects.filter(pk=task.pk).update(title="Changed elsewhere", version=2)
    client.force_login(consultant)
    response = client.post(
        reverse("projects:task_edit", args=[project.code, task.pk]),
        {"phase": task.phase_id, "title": "Mine", "progress": 10, "status": "todo", "version": 1},
    )
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    assert Task.objects.get(pk=task.pk).title == "Changed elsewhere"


def test_creating_a_project_from_the_form_shows_field_errors(staff, client):
    client.force_login(staff)
    response = client.post(
        reverse("projects:project_create"),
        {
            "code": "bad code",
            "name": "x",
            "client_name": "y",
            "planned_start": "2026-05-01",
            "planned_golive": "2026-01-01",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Use capital letters, digits and" in page
    assert not Project.objects.filter(name="x").exists()


def test_a_new_project_from_the_form_lands_on_its_page(staff, client):
    client.force_login(staff)
    response = client.post(
        reverse("projects:project_create"),
        {
            "code": "NEW-UI",
            "name": "From the UI",
            "client_name": "Client",
            "planned_start": "2026-01-05",
            "planned_golive": "2026-08-01",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/projects/NEW-UI/"
    assert client.get(response["Location"]).status_code == 200


def test_inline_phase_status_change_returns_the_row_for_htmx(consultant, project, client):
    client.force_login(consultant)
    phase = project.phases.get(kind="development")
    response = client.post(
        reverse("projects:phase_status", args=[project.code, phase.pk]),
        {"status": "in_progress", "version": phase.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="phase-{phase.pk}"' in response.content.decode()
    phase.refresh_from_db()
    assert phase.status == "in_progress" and phase.actual_start is not None


def test_a_client_user_is_sent_to_the_portal(key_user, project, client):
    client.force_login(key_user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"/portal/{project.code}/"


def test_the_task_history_shows_field_and_dependency_changes(consultant, project, client):
    from projects import services

    task, other = TaskFactory(project=project, title="Before"), TaskFactory(project=project, title="Upstream")
    services.task_update(task=task, by=consultant, version=1, title="After", depends_on=[other])
    client.force_login(consultant)
    page = client.get(reverse("projects:task_edit", args=[project.code, task.pk])).content.decode()
    assert "Before → After" in page
    assert "+ Upstream" in page
