"""Pages as users meet them: the portal UAT flow, the sign-off page, the XLSX export, htmx rows."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from phases.design.tests.factories import RequirementFactory
from projects.files import UPLOAD_BAD_TYPE
from projects.roles import SELF_APPROVAL
from testing import services
from testing.models import Cycle, Defect, Evidence, Execution
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory, DefectFactory, LoadTestResultFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def uat(project, key_user):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT, name="UAT vòng 1")
    return CycleCaseFactory(
        cycle=cycle, case=CaseFactory(project=project, steps=2, title="Lập hoá đơn"), assignee=key_user
    )


def test_key_user_runs_an_assigned_case_in_the_portal(client, project, key_user, uat):
    client.force_login(key_user)
    home = client.get(reverse("testing-portal:uat_home", args=[project.code]))
    assert "Lập hoá đơn" in home.content.decode()
    response = client.post(reverse("testing-portal:execution_start", args=[project.code, uat.pk]))
    run = Execution.objects.get()
    assert response.url == reverse("testing-portal:execution_detail", args=[project.code, run.pk])
    page = client.get(response.url).content.decode()
    assert "Do step 1" in page and 'hx-post="' in page
    step_url = reverse("testing-portal:execution_step", args=[project.code, run.pk, 1])
    row = client.post(step_url, {"status": "passed", "actual_result": "OK"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and row.content.decode().lstrip().startswith('<tr id="step-1"')
    client.post(reverse("testing-portal:execution_step", args=[project.code, run.pk, 2]), {"status": "failed"})
    client.post(
        reverse("testing-portal:evidence_upload", args=[project.code, run.pk]),
        {"file": SimpleUploadedFile("loi.png", PNG), "step": 2},
    )
    step2 = run.step_results.get(order=2)
    client.post(
        reverse("testing-portal:execution_defect", args=[project.code, run.pk]),
        {"title": "Sai thuế suất", "severity": "critical", "priority": "high", "step_result": step2.pk},
    )
    client.post(reverse("testing-portal:execution_finish", args=[project.code, run.pk]), {"actual_result": "Lỗi"})
    run.refresh_from_db()
    assert run.status == Execution.Status.FAILED
    assert Evidence.objects.get().step_result == step2
    defect = Defect.objects.get()
    assert (defect.case, defect.step_result, defect.severity) == (uat.case, step2, "critical")
    download = client.get(reverse("testing-portal:evidence_download", args=[project.code, Evidence.objects.get().pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]


def test_unassigned_case_is_refused_with_a_clear_message(client, project, key_user, sponsor, uat):
    other = CycleCaseFactory(cycle=uat.cycle, case=CaseFactory(project=project), assignee=sponsor)
    client.force_login(key_user)
    response = client.post(reverse("testing-portal:execution_start", args=[project.code, other.pk]), follow=True)
    assert "You can only execute cases assigned to you" in response.content.decode()
    assert not Execution.objects.exists()


def test_wrong_evidence_type_shows_the_message_and_saves_nothing(client, project, key_user, uat):
    run = services.execution_start(cycle_case=uat, by=key_user)
    client.force_login(key_user)
    response = client.post(
        reverse("testing-portal:evidence_upload", args=[project.code, run.pk]),
        {"file": SimpleUploadedFile("script.exe", b"MZ\x90")},
        follow=True,
    )
    assert UPLOAD_BAD_TYPE.split("{")[0] + ".exe" in response.content.decode()
    assert not Evidence.objects.exists()


def test_signoff_page_lists_open_defects_and_needs_the_override(client, project, pm, key_user, sponsor, uat):
    run = services.execution_start(cycle_case=uat, by=key_user)
    step = services.execution_record_step(execution=run, by=key_user, order=1, status="failed")
    services.execution_finish(execution=run, by=key_user)
    critical = services.defect_create(
        project=project, by=key_user, title="Không lưu được", severity="critical", step_result=step
    )
    services.defect_create(project=project, by=key_user, title="Lỗi chính tả", severity="trivial", cycle=uat.cycle)
    services.cycle_signoff_request(cycle=uat.cycle, by=pm, approver=sponsor)
    client.force_login(sponsor)
    url = reverse("testing-portal:cycle_signoff", args=[project.code, uat.cycle.pk])
    page = client.get(url).content.decode()
    assert critical.code in page and "Lỗi chính tả" in page and 'id="signoff-form"' in page
    refused = client.post(url, {"decision": "approved"}).content.decode()
    assert "critical defect(s) are still open" in refused
    assert Cycle.objects.get(pk=uat.cycle.pk).signoff.decision == "pending"
    client.post(url, {"decision": "approved", "override": "on", "override_reason": "Có phương án tạm"})
    assert Cycle.objects.get(pk=uat.cycle.pk).is_signed_off


def test_key_user_sees_no_decision_form(client, project, pm, key_user, uat):
    services.cycle_signoff_request(cycle=uat.cycle, by=pm)
    client.force_login(key_user)
    url = reverse("testing-portal:cycle_signoff", args=[project.code, uat.cycle.pk])
    assert 'id="signoff-form"' not in client.get(url).content.decode()
    assert client.post(url, {"decision": "approved"}).status_code == 403


def test_traceability_export_escapes_formulas(client, project, consultant, viewer):
    req = RequirementFactory(project=project, code="REQ-001", title='=HYPERLINK("http://evil","x")')
    case = CaseFactory(project=project, title="+cmd|' /C calc'!A0")
    case.requirements.set([req])
    client.force_login(viewer)
    response = client.get(reverse("testing:traceability_export", args=[project.code]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active  # streamed
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert '\'=HYPERLINK("http://evil","x")' in values
    assert any(v.startswith("TC-") and "+cmd" in v for v in values)
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value)


def test_case_form_creates_a_case_with_steps(client, project, consultant):
    req = RequirementFactory(project=project)
    client.force_login(consultant)
    response = client.post(
        reverse("testing:case_create", args=[project.code]),
        {
            "title": "Đặt hàng mua",
            "type": "functional",
            "steps_text": "Mở màn hình đặt hàng | Màn hình hiện ra\nLưu đơn | Đơn có số",
            "requirements": [req.pk],
        },
    )
    assert response.status_code == 302
    case = project.test_cases.get()
    assert case.code == "TC-001" and case.steps.count() == 2 and list(case.requirements.all()) == [req]
    bad = client.post(
        reverse("testing:case_create", args=[project.code]),
        {"title": "x", "type": "uat", "steps_text": "chỉ hành động"},
    )
    assert "needs both an action and an expected result" in bad.content.decode()


def test_cycle_page_renders_charts_data(client, project, consultant, uat):
    client.force_login(consultant)
    page = client.get(reverse("testing:cycle_detail", args=[project.code, uat.cycle.pk])).content.decode()
    assert 'id="progress-data"' in page and 'id="defect-data"' in page and "chart.umd.min.js" in page


def test_defect_page_offers_only_the_allowed_moves(client, project, pm, key_user):
    defect = services.defect_create(project=project, by=key_user, title="Lỗi")
    client.force_login(key_user)
    page = client.get(defect.get_absolute_url()).content.decode()
    assert 'value="open"' not in page  # triage is the firm's
    client.force_login(pm)
    page = client.get(defect.get_absolute_url()).content.decode()
    assert 'name="to_status" value="open"' in page
    client.post(reverse("testing:defect_transition", args=[project.code, defect.pk]), {"to_status": "closed"})
    defect.refresh_from_db()
    assert defect.status == "new"


def test_key_user_closes_a_fixed_defect_from_the_portal(client, project, pm, key_user, uat):
    run = services.execution_start(cycle_case=uat, by=key_user)
    step = services.execution_record_step(execution=run, by=key_user, order=1, status="failed")
    defect = services.defect_create(project=project, by=key_user, title="Sai số tiền", step_result=step)
    for status in ("open", "in_progress", "fixed", "retest"):
        defect = services.defect_transition(defect=defect, by=pm, to_status=status)
    client.force_login(key_user)
    home = reverse("testing-portal:uat_home", args=[project.code])
    assert 'id="retest-defects"' in client.get(home).content.decode()
    url = reverse("testing-portal:defect_transition", args=[project.code, defect.pk])
    response = client.post(url, {"to_status": "closed", "comment": "Đã đúng", "next": "https://evil.example/"})
    assert response.url == defect.get_absolute_url()  # an outside ``next`` is ignored
    defect.refresh_from_db()
    assert defect.status == "closed" and defect.comments.get().body == "Đã đúng"
    response = client.post(url, {"to_status": "in_progress", "next": home}, follow=True)
    assert "A defect cannot go from closed to in progress." in response.content.decode()


# --- the requester never decides their own sign-off -----------------------------------------


def test_the_requester_sees_no_decision_form_and_is_refused(client, api_client_for, project, pm, sponsor, uat):
    """The PM asked for the sign-off: the page offers them no decision and says why; every door answers 403."""
    services.cycle_signoff_request(cycle=uat.cycle, by=pm)
    client.force_login(pm)
    for ns in ("testing", "testing-portal"):
        url = reverse(f"{ns}:cycle_signoff", args=[project.code, uat.cycle.pk])
        page = client.get(url).content.decode()
        assert 'id="signoff-form"' not in page
        assert 'id="signoff-refusal"' in page and "segregation of duties" in page
        assert client.post(url, {"decision": "approved"}).status_code == 403
    api = api_client_for(pm).post(
        reverse("testing-api:cycle-signoff", args=[uat.cycle.pk]), {"decision": "approved"}, format="json"
    )
    assert api.status_code == 403 and api.json()["detail"] == SELF_APPROVAL
    assert Cycle.objects.get(pk=uat.cycle.pk).signoff.decision == "pending"
    client.force_login(sponsor)  # any other approver may decide
    page = client.get(reverse("testing:cycle_signoff", args=[project.code, uat.cycle.pk])).content.decode()
    assert 'id="signoff-form"' in page


def test_the_requester_is_not_offered_as_approver(client, project, pm, sponsor, uat):
    client.force_login(pm)
    page = client.get(uat.cycle.get_absolute_url()).content.decode()
    start = page.index('id="signoff-request-form"')
    form = page[start : page.index("</form>", start)]
    assert f'value="{sponsor.pk}"' in form and f'value="{pm.pk}"' not in form


# --- one "may record" rule for the page, the htmx row and the service ----------------------


def test_the_htmx_row_offers_the_form_only_to_who_may_record(client, project, key_user, sponsor, uat):
    """The htmx answer used to render the step form for anyone; it now asks the same rule as the page."""
    run = services.execution_start(cycle_case=uat, by=key_user)
    url = reverse("testing-portal:execution_step", args=[project.code, run.pk, 1])
    client.force_login(sponsor)  # may participate, but this run is the key user's
    row = client.post(url, {"status": "passed"}, HTTP_HX_REQUEST="true").content.decode()
    assert "only they or the test team can record its results" in row
    assert 'name="status"' not in row
    page = client.get(reverse("testing-portal:execution_detail", args=[project.code, run.pk])).content.decode()
    assert 'name="status"' not in page and 'id="finish-form"' not in page
    client.force_login(key_user)
    row = client.post(url, {"status": "passed"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="status"' in row and "table-success" in row


# --- downloads: one response with the safe headers -----------------------------------------


def _assert_safe_download(response, filename):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment") and filename in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"  # the old copies did not send it


def test_downloads_and_the_export_carry_the_safe_headers(client, project, key_user, consultant, uat):
    run = services.execution_start(cycle_case=uat, by=key_user)
    evidence = services.evidence_add(execution=run, by=key_user, file=SimpleUploadedFile("anh.png", PNG))
    load = LoadTestResultFactory(project=project, report=SimpleUploadedFile("r.csv", b"a,b\n"), report_name="r.csv")
    client.force_login(consultant)
    _assert_safe_download(client.get(reverse("testing:evidence_download", args=[project.code, evidence.pk])), "anh.png")
    _assert_safe_download(client.get(reverse("testing:load_report_download", args=[project.code, load.pk])), "r.csv")
    export = client.get(reverse("testing:traceability_export", args=[project.code]))
    _assert_safe_download(export, f"traceability-{project.code}.xlsx")


def test_a_missing_file_or_report_answers_404(client, project, key_user, consultant, uat):
    """A stored file gone from storage used to raise (500); a result without a report is 404 too."""
    run = services.execution_start(cycle_case=uat, by=key_user)
    evidence = services.evidence_add(execution=run, by=key_user, file=SimpleUploadedFile("anh.png", PNG))
    evidence.file.storage.delete(evidence.file.name)
    no_report = LoadTestResultFactory(project=project)
    client.force_login(consultant)
    assert client.get(reverse("testing:evidence_download", args=[project.code, evidence.pk])).status_code == 404
    assert client.get(reverse("testing:load_report_download", args=[project.code, no_report.pk])).status_code == 404


def test_a_refused_load_report_is_reported_on_the_report_field(api_client_for, project, consultant):
    """The report's refusal used to come back on a ``file`` field the API does not have."""
    body = {
        "project": project.code,
        "scenario": "Đăng nhập",
        "virtual_users": 5,
        "duration_seconds": 60,
        "throughput_rps": "4",
        "p95_ms": 300,
        "p99_ms": 600,
        "error_rate": "0",
        "max_p95_ms": 500,
        "report": SimpleUploadedFile("r.exe", b"MZ\x90"),
    }
    response = api_client_for(consultant).post(reverse("testing-api:load-test-result-list"), body, format="multipart")
    assert response.status_code == 400
    assert response.json()["report"][0].startswith(UPLOAD_BAD_TYPE.split("{")[0] + ".exe")


# --- choices offered: the allowed moves, the shared filters ------------------------------


def test_the_cycle_status_form_offers_only_the_allowed_moves(client, project, consultant):
    cycle = CycleFactory(project=project, status=Cycle.Status.PLANNED)
    client.force_login(consultant)
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert 'value="running"' in page and 'value="completed"' not in page
    url = reverse("testing:cycle_status", args=[project.code, cycle.pk])
    client.post(url, {"version": cycle.version, "status": "completed"})
    assert Cycle.objects.get(pk=cycle.pk).status == Cycle.Status.PLANNED
    client.post(url, {"version": cycle.version, "status": "running"})
    assert Cycle.objects.get(pk=cycle.pk).status == Cycle.Status.RUNNING


def test_the_defect_list_filters_with_the_filterset_form(client, project, other_project, viewer):
    critical = DefectFactory(project=project, severity="critical", title="Hỏng nặng")
    DefectFactory(project=project, severity="minor", title="Lỗi nhỏ")
    client.force_login(viewer)
    page = client.get(reverse("testing:defect_list", args=[project.code]), {"severity": "critical"}).content.decode()
    assert 'id="filter-form"' in page and 'name="severity"' in page and 'name="project"' not in page
    assert critical.title in page and "Lỗi nhỏ" not in page


def test_the_cycle_and_load_lists_filter_too(client, project, viewer):
    CycleFactory(project=project, name="SIT vòng 1", type=Cycle.Type.INTEGRATION)
    CycleFactory(project=project, name="UAT vòng 2", type=Cycle.Type.UAT)
    LoadTestResultFactory(project=project, scenario="Đạt", passed=True)
    LoadTestResultFactory(project=project, scenario="Không đạt", passed=False)
    client.force_login(viewer)
    cycles = client.get(reverse("testing:cycle_list", args=[project.code]), {"type": "uat"}).content.decode()
    assert "UAT vòng 2" in cycles and "SIT vòng 1" not in cycles
    loads = client.get(reverse("testing:load_result_list", args=[project.code]), {"passed": "false"}).content.decode()
    assert "Không đạt" in loads and ">Đạt<" not in loads
    assert '<option value="false" selected>' in loads
