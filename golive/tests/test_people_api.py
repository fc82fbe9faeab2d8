"""The support plan, training and user guide API: what a client of the API notices."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from golive.models import Attendance, SupportPlan, UserGuideVersion
from golive.services import people as services
from golive.tests.factories_people import PDF_BYTES, TrainingSessionFactory, UserGuideFactory, pdf_upload
from phases.design.tests.factories import ProcessDesignFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"golive-api:{name}", args=args)


def test_the_plan_is_read_and_edited_by_project_code_with_version(project, pm, key_user, client_of):
    client = client_of("pm")
    body = client.get(url("support-plan-detail", project.code)).json()
    assert body["project"] == project.code and body["version"] == 1
    changed = client.patch(
        url("support-plan-detail", project.code),
        {"version": 1, "hypercare_start": "2025-06-01", "hypercare_end": "2025-06-30"},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = client.patch(
        url("support-plan-detail", project.code), {"version": 1, "working_hours": "24/7"}, format="json"
    )
    assert stale.status_code == 409
    bad = client.patch(
        url("support-plan-detail", project.code), {"version": 2, "hypercare_end": "2025-05-01"}, format="json"
    )
    assert bad.status_code == 400 and "hypercare_end" in bad.json()
    denied = client_of("key_user").patch(
        url("support-plan-detail", project.code), {"version": 2, "working_hours": "x"}, format="json"
    )
    assert denied.status_code == 403


def test_request_approval_and_the_sponsor_sees_it_pending(project, pm, sponsor, client_of):
    response = client_of("pm").post(url("support-plan-request-approval", project.code), {}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["signoff"]["decision"] == "pending"
    again = client_of("pm").post(url("support-plan-request-approval", project.code), {}, format="json")
    assert again.status_code == 400
    seen = client_of("sponsor").get(url("support-plan-detail", project.code)).json()
    assert seen["signoff"]["requested_by"] == pm.username
    assert client_of("sponsor").post(url("support-plan-request-approval", project.code), {}).status_code == 403


def test_teams_and_escalation_levels(project, pm, key_user, outsider, client_of):
    client = client_of("pm")
    team = client.post(
        url("support-team-list"),
        {"project": project.code, "name": "Finance", "members": [key_user.username]},
        format="json",
    )
    assert team.status_code == 201, team.content
    outsider_team = client.post(
        url("support-team-list"), {"project": project.code, "name": "X", "members": [outsider.username]}, format="json"
    )
    assert outsider_team.status_code == 400
    team_id = team.json()["id"]
    renamed = client.patch(url("support-team-detail", team_id), {"name": "Finance desk"}, format="json")
    assert renamed.json()["name"] == "Finance desk"
    l1 = {"project": project.code, "level": "L1", "contact_name": "Desk", "team": team_id}
    assert client.post(url("escalation-level-list"), l1, format="json").status_code == 201
    assert client.post(url("escalation-level-list"), l1, format="json").status_code == 400
    listed = client.get(url("escalation-level-list"), {"project": project.code}).json()
    assert listed["count"] == 1 and listed["results"][0]["team"] == team_id
    assert client.delete(url("support-team-detail", team_id)).status_code == 204


def test_training_sessions_invite_and_attendance(project, pm, key_user, sponsor, client_of):
    process = ProcessDesignFactory(project=project)
    client = client_of("pm")
    created = client.post(
        url("training-session-list"),
        {
            "project": project.code,
            "topic": "Purchasing",
            "audience_roles": ["key_user", "sponsor"],
            "processes": [process.pk],
            "starts_at": "2030-01-10T09:00:00Z",
            "ends_at": "2030-01-10T11:00:00Z",
            "trainer": pm.username,
            "place": "https://meet.example.com/abc",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    session = created.json()
    assert session["processes"] == [process.pk]
    backwards = client.patch(
        url("training-session-detail", session["id"]),
        {"version": session["version"], "ends_at": "2030-01-10T08:00:00Z"},
        format="json",
    )
    assert backwards.status_code == 400 and "ends_at" in backwards.json()
    invited = client.post(url("training-session-invite", session["id"]), {}, format="json")
    assert invited.json() == {"invited": 2}
    assert client.post(url("training-session-invite", session["id"]), {}, format="json").json() == {"invited": 0}
    rows = client.get(url("attendance-list"), {"session": session["id"]}).json()
    assert rows["count"] == 2
    mine = next(r for r in rows["results"] if r["user"] == key_user.username)
    assert (
        client_of("key_user")
        .patch(url("attendance-detail", mine["id"]), {"status": "attended"}, format="json")
        .status_code
        == 403
    )
    recorded = client.patch(url("attendance-detail", mine["id"]), {"status": "attended"}, format="json")
    assert recorded.status_code == 200 and recorded.json()["status"] == "attended"
    assert Attendance.objects.get(pk=mine["id"]).status == "attended"


def test_user_guides_versions_publish_and_client_downloads(project, pm, key_user, client_of):
    client = client_of("pm")
    guide = client.post(url("user-guide-list"), {"project": project.code, "title": "Purchasing"}, format="json").json()
    bad = client.post(
        url("user-guide-versions", guide["id"]), {"file": SimpleUploadedFile("x.exe", b"MZ")}, format="multipart"
    )
    assert bad.status_code == 400 and "file" in bad.json()
    assert not UserGuideVersion.objects.exists()
    first = client.post(url("user-guide-versions", guide["id"]), {"file": pdf_upload()}, format="multipart")
    second = client.post(url("user-guide-versions", guide["id"]), {"file": pdf_upload("v2.pdf")}, format="multipart")
    assert (first.json()["number"], second.json()["number"]) == (1, 2)
    kim = client_of("key_user")
    assert kim.get(url("user-guide-detail", guide["id"])).status_code == 404
    assert kim.get(url("user-guide-download", guide["id"])).status_code == 404
    assert (
        client.patch(
            url("user-guide-detail", guide["id"]), {"version": 1, "published": True}, format="json"
        ).status_code
        == 400
    )
    assert client.post(url("user-guide-publish", guide["id"])).json()["published"] is True
    download = kim.get(url("user-guide-download", guide["id"]), {"number": 1})
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "guide.pdf" in download["Content-Disposition"]
    assert kim.get(url("user-guide-list")).json()["count"] == 1
    assert client.post(url("user-guide-unpublish", guide["id"])).json()["published"] is False
    assert kim.get(url("user-guide-list")).json()["count"] == 0


def test_another_projects_rows_answer_404(project, other_project, pm, client_of):
    foreign_session = TrainingSessionFactory(project=other_project)
    foreign_guide = UserGuideFactory(project=other_project, published=True)
    client = client_of("pm")
    assert client.get(url("support-plan-detail", other_project.code)).status_code == 404
    assert client.get(url("training-session-detail", foreign_session.pk)).status_code == 404
    assert client.post(url("training-session-invite", foreign_session.pk)).status_code == 404
    assert client.get(url("user-guide-download", foreign_guide.pk)).status_code == 404
    assert not SupportPlan.objects.filter(project=other_project).exists()
    services.support_plan_get_or_create(project)
