"""Support plan, training and user guide pages, dashboard and portal: what a user sees and does."""

import pytest
from django.urls import reverse

from golive.models import Attendance, EscalationLevel, SupportPlan, SupportTeam, TrainingSession, UserGuide
from golive.services import people as services
from golive.tests.factories_people import PDF_BYTES, pdf_upload
from phases.design.tests.factories import ProcessDesignFactory
from projects.roles import Role

pytestmark = pytest.mark.django_db


def page(name, project, *args):
    return reverse(f"golive:{name}", args=[project.code, *args])


def portal(name, project, *args):
    return reverse(f"golive-portal:{name}", args=[project.code, *args])


def test_support_plan_page_edit_teams_escalation_and_signoff(project, pm, key_user, sponsor, client_of):
    client = client_of("pm")
    assert client.get(page("support_plan", project)).status_code == 200
    bad = client.post(
        page("support_plan_edit", project),
        {"version": 1, "hypercare_start": "2025-06-10", "hypercare_end": "2025-06-01"},
    )
    assert bad.status_code == 200 and "Hypercare ends after it starts." in bad.content.decode()
    ok = client.post(
        page("support_plan_edit", project),
        {"version": 1, "hypercare_start": "2025-06-01", "hypercare_end": "2025-06-30"},
    )
    assert ok.status_code == 302
    assert client.post(page("team_create", project), {"name": "Finance", "members": [key_user.pk]}).status_code == 302
    team = SupportTeam.objects.get()
    assert (
        client.post(
            page("escalation_create", project), {"level": "L1", "contact_name": "Desk", "team": team.pk}
        ).status_code
        == 302
    )
    again = client.post(page("escalation_create", project), {"level": "L1", "contact_name": "Other"})
    assert again.status_code == 200 and EscalationLevel.objects.count() == 1
    escalation = EscalationLevel.objects.get()
    assert client.get(page("team_edit", project, team.pk)).status_code == 200
    assert client.get(page("escalation_edit", project, escalation.pk)).status_code == 200
    client.post(page("support_plan_request", project))
    body = client.get(page("support_plan", project)).content.decode()
    assert "Pending" in body and "Desk" in body and "Finance" in body
    # The sponsor decides on the portal page through the project's approval action.
    plan = SupportPlan.objects.get(project=project)
    sponsor_page = client_of("sponsor").get(portal("support_plan", project)).content.decode()
    assert reverse("projects:approval_decide", args=[project.code, plan.signoff_id]) in sponsor_page
    decided = client_of("sponsor").post(
        reverse("projects:approval_decide", args=[project.code, plan.signoff_id]),
        {"decision": "approved", "next": portal("support_plan", project)},
    )
    assert decided.status_code == 302
    plan.refresh_from_db()
    assert plan.approved
    client.post(page("escalation_delete", project, escalation.pk))
    assert "Changed since approval" in client.get(page("support_plan", project)).content.decode()
    client.post(page("team_delete", project, team.pk))
    assert not SupportTeam.objects.exists()


def test_training_pages_invite_attendance_and_completion(project, pm, key_user, sponsor, client_of):
    process = ProcessDesignFactory(project=project)
    client = client_of("pm")
    created = client.post(
        page("training_create", project),
        {
            "topic": "Purchasing",
            "audience_roles": [Role.KEY_USER],
            "processes": [process.pk],
            "starts_at": "2030-01-10T09:00",
            "ends_at": "2030-01-10T11:00",
            "trainer": sponsor.pk,
            "place": "Room 2",
        },
    )
    assert created.status_code == 302, created.content
    session = TrainingSession.objects.get()
    assert client.get(page("training_list", project)).status_code == 200
    client.post(page("training_invite", project, session.pk), {"roles": [Role.KEY_USER]})
    row = Attendance.objects.get(session=session)
    detail = client.get(page("training_detail", project, session.pk)).content.decode()
    assert key_user.username in detail
    # The trainer (the sponsor here) records attendance; a key user may not.
    assert (
        client_of("key_user").post(page("attendance_record", project, row.pk), {"status": "attended"}).status_code
        == 403
    )
    assert (
        client_of("sponsor").post(page("attendance_record", project, row.pk), {"status": "attended"}).status_code == 302
    )
    row.refresh_from_db()
    assert row.status == "attended"
    completion = client.get(page("training_completion", project)).content.decode()
    assert 'data-chart-source="role-chart"' in completion and process.code in completion
    backwards = client.post(
        page("training_edit", project, session.pk),
        {"version": session.version, "topic": "X", "starts_at": "2030-01-10T09:00", "ends_at": "2030-01-10T08:00"},
    )
    assert "A session ends after it starts." in backwards.content.decode()
    my_training = client_of("key_user").get(portal("my_training", project)).content.decode()
    assert "Purchasing" in my_training and "Attended" in my_training
    client.post(page("training_delete", project, session.pk))
    assert not TrainingSession.objects.exists()


def test_guide_pages_upload_publish_download_and_the_portal(project, pm, key_user, client_of):
    client = client_of("pm")
    assert client.post(page("guide_create", project), {"title": "Purchasing"}).status_code == 302
    guide = UserGuide.objects.get()
    refused = client.post(page("guide_upload", project, guide.pk), {"file": pdf_upload("x.exe")}, follow=True)
    assert "Files of type .exe are not accepted" in refused.content.decode()
    client.post(page("guide_upload", project, guide.pk), {"file": pdf_upload(), "note": "first"})
    version = guide.versions.get()
    assert client.get(page("guide_list", project)).status_code == 200
    assert "guide.pdf" in client.get(page("guide_detail", project, guide.pk)).content.decode()
    kim = client_of("key_user")
    assert kim.get(page("guide_download", project, version.pk)).status_code == 404
    assert kim.get(portal("guide_download", project, version.pk)).status_code == 404
    assert "Purchasing" not in kim.get(portal("guides", project)).content.decode()
    client.post(page("guide_publish", project, guide.pk), {"published": "on"})
    assert "Purchasing" in kim.get(portal("guides", project)).content.decode()
    download = kim.get(portal("guide_download", project, version.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert client.get(page("guide_edit", project, guide.pk)).status_code == 200
    client.post(page("guide_delete", project, guide.pk))
    assert not UserGuide.objects.exists()


def test_portal_support_summary_shows_contacts_and_a_viewer_cannot_decide(project, pm, viewer, client_of):
    plan = services.support_plan_get_or_create(project)
    services.escalation_create(plan=plan, by=pm, level="L1", contact_name="Help desk", contact_phone="1900")
    services.support_plan_request_approval(plan=plan, by=pm)
    body = client_of("viewer").get(portal("support_plan", project)).content.decode()
    assert "Help desk" in body and "1900" in body
    assert "approval_decide" not in body and 'value="approved"' not in body
