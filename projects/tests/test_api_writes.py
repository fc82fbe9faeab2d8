"""Writes that used to answer 500 or change something for nothing: each door answers a 400
on the field at fault, and an update that changes nothing keeps the row (and its version)."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from projects import services
from projects.models import Project
from projects.roles import Role
from projects.tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm_consultant():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_project"))
    return user


def _new_project(start: date, golive: date, code="DATES-1") -> dict:
    return {
        "code": code,
        "name": "Dates",
        "client_name": "Client",
        "planned_start": start.isoformat(),
        "planned_golive": golive.isoformat(),
    }


# --- point 5: a project's dates -----------------------------------------------------------


@pytest.mark.parametrize("days", [0, 1, services.MIN_PROJECT_DAYS - 1])
def test_a_golive_too_close_to_the_start_answers_400_on_the_field(firm_consultant, api_client_for, days):
    start = date(2026, 3, 2)
    response = api_client_for(firm_consultant).post(
        reverse("projects-api:project-list"), _new_project(start, start + timedelta(days=days)), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"planned_golive": [services.PROJECT_TOO_SHORT.format(days=services.MIN_PROJECT_DAYS)]}
    assert not Project.objects.filter(code="DATES-1").exists()


def test_a_golive_before_the_start_answers_400_on_the_field(firm_consultant, api_client_for):
    response = api_client_for(firm_consultant).post(
        reverse("projects-api:project-list"), _new_project(date(2026, 5, 1), date(2026, 2, 1)), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"planned_golive": ["The planned go-live cannot be before the planned start."]}


@pytest.mark.parametrize("days", [services.MIN_PROJECT_DAYS, services.MIN_PROJECT_DAYS + 1, 12, 19, 40])
def test_the_shortest_plans_fit_every_task_in_its_phase(firm_consultant, api_client_for, days):
    start = date(2026, 3, 2)
    response = api_client_for(firm_consultant).post(
        reverse("projects-api:project-list"), _new_project(start, start + timedelta(days=days)), format="json"
    )
    assert response.status_code == 201, response.content
    project = Project.objects.get(code="DATES-1")
    for phase in project.phases.all():
        assert phase.planned_start <= phase.planned_end
    for task in project.tasks.select_related("phase"):
        assert task.phase.planned_start <= task.start <= task.due <= task.phase.planned_end


def test_the_new_project_form_shows_the_refusal_on_the_golive_field(staff, client):
    client.force_login(staff)
    response = client.post(reverse("projects:project_create"), _new_project(date(2026, 3, 2), date(2026, 3, 2)))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["planned_golive"] == [services.PROJECT_TOO_SHORT.format(days=services.MIN_PROJECT_DAYS)]
    assert services.PROJECT_TOO_SHORT.format(days=services.MIN_PROJECT_DAYS) in response.content.decode()
    assert not Project.objects.filter(code="DATES-1").exists()


# --- point 6: a membership PATCH with nothing to change ---------------------------------------


def test_a_membership_patch_with_only_the_version_is_a_no_op(project, pm, viewer, api_client_for):
    membership = project.memberships.get(user=viewer)
    url = reverse("projects-api:membership-detail", args=[membership.pk])
    response = api_client_for(pm).patch(url, {"version": membership.version}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["role"] == Role.VIEWER and response.json()["version"] == membership.version
    membership.refresh_from_db()
    assert (membership.role, membership.version) == (Role.VIEWER, 1)


def test_a_membership_patch_with_a_stale_version_still_answers_409(project, pm, viewer, api_client_for):
    membership = project.memberships.get(user=viewer)
    client = api_client_for(pm)
    url = reverse("projects-api:membership-detail", args=[membership.pk])
    assert client.patch(url, {"version": 1, "role": Role.KEY_USER}, format="json").status_code == 200
    assert client.patch(url, {"version": 1}, format="json").status_code == 409


# --- point 13: no field ignored, no version for nothing --------------------------------------


def test_an_update_that_changes_nothing_keeps_the_version_and_writes_no_audit_entry(project, consultant):
    from projects.selectors import audit_entries

    task = TaskFactory(project=project, title="Same")
    before = audit_entries(user=consultant, target=task).count()
    same = services.task_update(
        task=task, by=consultant, version=1, title="Same", start=task.start, due=task.due, depends_on=[]
    )
    assert same.version == 1
    task.refresh_from_db()
    assert task.version == 1 and audit_entries(user=consultant, target=task).count() == before
    changed = services.task_update(task=task, by=consultant, version=1, title="Other")
    assert changed.version == 2


def test_a_patch_naming_unknown_or_read_only_fields_lists_each_and_changes_nothing(project, consultant, api_client_for):
    task = TaskFactory(project=project, title="Kept")
    url = reverse("projects-api:task-detail", args=[task.pk])
    response = api_client_for(consultant).patch(
        url, {"version": 1, "title": "New", "id": 5, "colour": "red"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"colour": ["Unknown field."], "id": ["This field cannot be changed here."]}
    task.refresh_from_db()
    assert (task.title, task.version) == ("Kept", 1)


def test_a_patch_with_the_same_values_answers_200_and_keeps_the_version(project, consultant, api_client_for):
    task = TaskFactory(project=project, title="Same", progress=20)
    url = reverse("projects-api:task-detail", args=[task.pk])
    response = api_client_for(consultant).patch(url, {"version": 1, "title": "Same", "progress": 20}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 1
