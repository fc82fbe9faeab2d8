"""The projects API as an integrator sees it: auth, tokens, errors, versions, schema."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from projects.models import Project
from projects.tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def _token_for(username, password="pw-for-tests-1", **extra):
    response = APIClient().post(
        reverse("auth-token-list"), {"username": username, "password": password, **extra}, format="json"
    )
    return response


def test_a_token_is_returned_once_stored_hashed_and_works(viewer, project):
    response = _token_for(viewer.username)
    assert response.status_code == 201
    token = response.json()["token"]
    stored = AuthToken.objects.get(user=viewer)
    assert token not in (stored.digest, stored.token_key) and stored.digest != token
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(reverse("projects-api:project-detail", args=[project.code])).status_code == 200


def test_wrong_password_gets_no_token():
    UserFactory(username="someone")
    response = _token_for("someone", password="wrong")
    assert response.status_code == 400 and response.json()["detail"] == "Unable to sign in with these credentials."


def test_a_revoked_token_stops_working_at_once(viewer, project):
    token = _token_for(viewer.username).json()["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    token_key = AuthToken.objects.get(user=viewer).token_key
    assert client.delete(reverse("auth-token-detail", args=[token_key])).status_code == 204
    assert client.get(reverse("projects-api:project-list")).status_code == 401


def test_an_expired_token_is_refused(viewer):
    token = _token_for(viewer.username, expiry_days=1).json()["token"]
    AuthToken.objects.filter(user=viewer).update(expiry=timezone.now() - timedelta(minutes=1))
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(reverse("projects-api:project-list")).status_code == 401


def test_a_deactivated_user_loses_token_access(viewer):
    token = _token_for(viewer.username).json()["token"]
    viewer.is_active = False
    viewer.save()
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(reverse("projects-api:project-list")).status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(viewer, key_user, api_client_for):
    _token_for(viewer.username)
    token_key = AuthToken.objects.get(user=viewer).token_key
    assert api_client_for(key_user).delete(reverse("auth-token-detail", args=[token_key])).status_code == 404
    assert AuthToken.objects.filter(user=viewer).exists()


def test_missing_and_invalid_fields_answer_400_with_field_messages(consultant, project, api_client_for):
    client = api_client_for(consultant)
    response = client.post(reverse("projects-api:task-list"), {"project": project.code, "progress": 150}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"title", "phase", "progress"}
    assert body["title"] == ["This field is required."]


def test_a_rule_broken_in_the_service_answers_400_on_its_field(consultant, project, api_client_for):
    task = TaskFactory(project=project)
    response = api_client_for(consultant).patch(
        reverse("projects-api:task-detail", args=[task.pk]),
        {"version": 1, "start": "2026-05-10", "due": "2026-05-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "The due date cannot be before the start date." in str(response.json())


def test_a_stale_version_answers_409_and_changes_nothing(consultant, project, api_client_for):
    task = TaskFactory(project=project, title="Original")
    client = api_client_for(consultant)
    url = reverse("projects-api:task-detail", args=[task.pk])
    assert client.patch(url, {"version": 1, "title": "First"}, format="json").status_code == 200
    response = client.patch(url, {"version": 1, "title": "Second"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    task.refresh_from_db()
    assert task.title == "First"


def test_update_without_version_is_refused(consultant, project, api_client_for):
    task = TaskFactory(project=project)
    response = api_client_for(consultant).patch(
        reverse("projects-api:task-detail", args=[task.pk]), {"title": "x"}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()


def test_writes_that_try_to_set_project_or_version_do_not_move_the_object(
    consultant, project, other_project, api_client_for
):
    """A field the update does not take is refused by name (never silently ignored)."""
    task = TaskFactory(project=project)
    client = api_client_for(consultant)
    url = reverse("projects-api:task-detail", args=[task.pk])
    response = client.patch(url, {"version": 1, "project": other_project.code, "title": "ok"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"project": ["This field cannot be changed here."]}
    task.refresh_from_db()
    assert task.project_id == project.pk and task.version == 1 and task.title != "ok"
    assert client.patch(url, {"version": 1, "title": "ok"}, format="json").status_code == 200
    task.refresh_from_db()
    assert task.project_id == project.pk and task.version == 2


def test_lists_are_paginated_with_a_count_and_capped(consultant, project, api_client_for):
    response = api_client_for(consultant).get(reverse("projects-api:task-list"), {"page_size": 10**9})
    body = response.json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert len(body["results"]) == min(body["count"], 200)


def test_lists_filter_and_order(consultant, project, api_client_for):
    TaskFactory(project=project, title="Zeta blocked", status="blocked")
    response = api_client_for(consultant).get(
        reverse("projects-api:task-list"), {"status": "blocked", "q": "zeta", "ordering": "-due"}
    )
    assert [row["title"] for row in response.json()["results"]] == ["Zeta blocked"]


def test_a_firm_consultant_creates_a_project_through_the_api(api_client_for):
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_project"))
    response = api_client_for(user).post(
        reverse("projects-api:project-list"),
        {
            "code": "API-1",
            "name": "Via API",
            "client_name": "Client",
            "planned_start": "2026-01-01",
            "planned_golive": "2026-06-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Project.objects.get(code="API-1").phases.count() == 6


def test_list_queries_do_not_grow_with_the_number_of_rows(
    consultant, project, api_client_for, django_assert_max_num_queries
):
    client = api_client_for(consultant)
    for _ in range(30):
        TaskFactory(project=project)
    with django_assert_max_num_queries(12):
        client.get(reverse("projects-api:task-list"), {"page_size": 100})


def test_the_openapi_schema_and_docs_render(client, viewer):
    response = client.get(reverse("schema"))
    assert response.status_code == 200
    schema = response.content.decode()
    assert "/api/v1/projects/tasks/" in schema and "'409'" in schema
    client.force_login(viewer)
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["database"]["ok"] and body["broker"]["ok"]


def test_healthz_answers_503_and_names_the_broker_when_it_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False and response.json()["database"]["ok"] is True
