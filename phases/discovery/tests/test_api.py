"""API details beyond the role matrix: schema, query budget, 409 on a stale version."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from phases.discovery.tests import factories as f


def test_discovery_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command(
        "spectacular",
        "--urlconf",
        "phases.discovery.tests.schema_urls",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(out),
        "--skip-checks",
    )
    text = out.read_text()
    for path in ("requirements/import/", "requirements/export/", "kickoffs/{id}/raci/", "signoffs/{id}/decide/"):
        assert f"/api/v1/discovery/{path}" in text
    assert "RequirementStatusEnum" in text and "BusinessAreaEnum" in text


@pytest.mark.parametrize("persona", ["consultant", "viewer"])
def test_requirement_list_query_count_does_not_grow_with_rows(
    persona, api_client_for, personas, project, django_assert_max_num_queries
):
    client = api_client_for(personas[persona])
    process = f.CurrentProcessFactory(project=project)
    for _ in range(3):
        f.RequirementFactory(project=project, owner=personas["pm"]).processes.add(process)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("discovery-api:requirement-list")).status_code == 200
    for _ in range(20):
        f.RequirementFactory(project=project, owner=personas["pm"]).processes.add(process)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("discovery-api:requirement-list"))
    assert response.json()["count"] == 23


def test_stale_version_answers_409(api_client_for, personas, project):
    req = f.RequirementFactory(project=project)
    client = api_client_for(personas["consultant"])
    url = reverse("discovery-api:requirement-detail", args=[req.pk])
    assert client.patch(url, {"version": 1, "title": "Mới"}, format="json").status_code == 200
    stale = client.patch(url, {"version": 1, "title": "Cũ"}, format="json")
    assert stale.status_code == 409
    req.refresh_from_db()
    assert req.title == "Mới"


def test_missing_version_on_update_is_400(api_client_for, personas, project):
    req = f.RequirementFactory(project=project)
    response = api_client_for(personas["pm"]).patch(
        reverse("discovery-api:requirement-detail", args=[req.pk]), {"title": "X"}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()


def test_requirement_offers_the_status_moves_the_caller_may_make(api_client_for, personas, project):
    req = f.RequirementFactory(project=project, status="rejected", fit_gap="gap", resolution="out_of_scope")
    url = reverse("discovery-api:requirement-detail", args=[req.pk])
    assert api_client_for(personas["consultant"]).get(url).json()["allowed_transitions"] == ["draft"]
    assert api_client_for(personas["viewer"]).get(url).json()["allowed_transitions"] == []


def test_a_meeting_date_before_1970_answers_400_not_a_local_mean_time_offset(api_client_for, personas, project):
    """Asia/Ho_Chi_Minh before 1906 is +07:06:30: a date-time no client parses came back."""
    client = api_client_for(personas["consultant"])
    body = {"project": project.code, "title": "Kick-off", "meeting_date": "0682-06-15T12:54:55Z"}

    refused = client.post(reverse("discovery-api:kickoff-list"), body, format="json")
    body["meeting_date"] = "2026-01-08T09:00:00Z"
    created = client.post(reverse("discovery-api:kickoff-list"), body, format="json")

    assert refused.status_code == 400 and list(refused.json()) == ["meeting_date"]
    assert created.status_code == 201 and created.json()["meeting_date"] == "2026-01-08T16:00:00+07:00"


def test_requirement_export_requires_project_and_takes_file_format(api_client_for, personas, project):
    f.RequirementFactory(project=project, title="Credit check")
    client = api_client_for(personas["viewer"])
    url = reverse("discovery-api:requirement-export")

    missing = client.get(url)
    xlsx = client.get(url, {"project": project.code, "file_format": "xlsx"})
    old_name = client.get(url, {"project": project.code, "format": "xlsx"})  # DRF's override answered 404

    assert missing.status_code == 400 and list(missing.json()) == ["project"]
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert old_name.status_code == 200 and old_name["Content-Type"].startswith("text/csv")
