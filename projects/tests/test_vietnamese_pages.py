"""What a new user met on Vietnamese pages: English left in badges, field names, sign-off titles,
labels and pickers."""

import pytest
from django.urls import reverse
from django.utils import translation

from datamigration.forms import UploadForm
from phases.discovery.tests.factories import KickoffFactory
from projects import services
from projects.tests.factories import TaskFactory
from testing.forms import SignoffRequestForm

pytestmark = pytest.mark.django_db
VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}


def test_the_audit_trail_reads_in_vietnamese(client, project, pm):
    task = TaskFactory(project=project, title="Chuẩn bị dữ liệu")
    services.task_update(task=task, by=pm, version=task.version, status="in_progress")
    client.force_login(pm)
    page = client.get(reverse("projects:audit", args=[project.code]), **VI).content.decode()
    assert ">Sửa đổi</span>" in page  # the action badge, not auditlog's "update"
    assert '<span class="fw-semibold">Trạng thái</span>: Cần làm → Đang thực hiện' in page
    assert ">update<" not in page and "<code>status</code>" not in page


def test_a_signoff_asked_in_english_reads_in_vietnamese(client, project, pm, sponsor):
    with translation.override("en"):
        approval = services.phase_request_gate(phase=project.phases.get(kind="design"), by=pm)
    assert approval.title == "Phase gate: Design"  # stored as asked
    client.force_login(pm)
    page = client.get(reverse("projects:project_detail", args=[project.code]), **VI).content.decode()
    assert "<li>Cổng chuyển giai đoạn: Thiết kế — <strong>Đang chờ</strong>" in page
    client.force_login(sponsor)
    portal = client.get(reverse("projects-portal:project", args=[project.code]), **VI).content.decode()
    assert "Cổng chuyển giai đoạn: Thiết kế" in portal
    english = client.get(reverse("projects-portal:project", args=[project.code]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Phase gate: Design" in english.content.decode()


def test_a_free_signoff_title_shows_as_written(client, project, pm, sponsor):
    services.approval_request(project=project, by=pm, title="Chốt phạm vi giai đoạn 2")
    client.force_login(sponsor)
    page = client.get(reverse("projects-portal:project", args=[project.code]), **VI).content.decode()
    assert "Chốt phạm vi giai đoạn 2" in page


def test_the_milestone_form_labels_the_phase(client, project, pm):
    client.force_login(pm)
    page = client.get(reverse("projects:milestone_create", args=[project.code]), **VI).content.decode()
    assert ">Giai đoạn</label>" in page


def test_pickers_show_full_name_and_username(client, project, pm, sponsor):
    sponsor.first_name, sponsor.last_name = "Sam", "Nguyễn"
    sponsor.save()
    form = SignoffRequestForm(project=project, user=pm)
    assert (sponsor.pk, "Sam Nguyễn (sam_sponsor)") in [
        (c[0].value, c[1]) for c in list(form.fields["approver"].choices)[1:]
    ]
    client.force_login(pm)
    page = client.get(reverse("projects:task_create", args=[project.code])).content.decode()
    assert f">{pm.get_full_name()} (alice_pm)</option>" in page


def test_the_encoding_choices_read_in_vietnamese():
    with translation.override("vi"):
        labels = {value: str(label) for value, label in UploadForm().fields["encoding"].choices}
    assert labels["cp1258"] == "Windows-1258 (tiếng Việt)" and labels["utf-8-sig"] == "UTF-8 có BOM"


def test_the_kickoff_print_page_has_the_favicon(client, project, pm):
    kickoff = KickoffFactory(project=project)
    client.force_login(pm)
    page = client.get(reverse("discovery:kickoff_print", args=[project.code, kickoff.pk])).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg"' in page


def test_a_recorded_moment_reads_in_local_time_without_microseconds(settings):
    from projects.templatetags.projects_tags import _audit_value
    from testing.models import Defect

    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    shown = _audit_value(Defect._meta.get_field("resolved_at"), "2026-11-30 16:11:43.937330")
    assert "11:11" in shown and "16:11" not in shown and "937330" not in shown


def test_the_plan_filters_are_labelled_in_vietnamese(client, project, pm):
    from django.utils import translation

    client.force_login(pm)
    with translation.override("vi"):
        form = client.get(reverse("projects:plan", args=[project.code]), HTTP_ACCEPT_LANGUAGE="vi").context[
            "filter_form"
        ]
        labels = {str(field.label) for field in form}
    assert "Phase" not in labels and "Status" not in labels
