"""The building blocks every app uses: uploads and downloads (``projects/files.py``), the
page action (``projects/actions.py``) and segregation of duties on sign-offs."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from erpimpl.errors import DomainError
from projects import files
from projects.actions import safe_next
from projects.containers import default_limits
from projects.models import Approval
from projects.roles import SELF_APPROVAL
from projects.tests.factories import ApprovalFactory

PDF = b"%PDF-1.7\n" + b"x" * 100


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


def refusal(file, **kwargs):
    with pytest.raises(DomainError) as caught:
        files.validate_upload(file, types=kwargs.pop("types", files.EVIDENCE_TYPES), **kwargs)
    return caught.value


# --- uploads -----------------------------------------------------------------------------


def test_a_sound_file_is_accepted_with_its_safe_name_and_type():
    checked = files.validate_upload(upload("../../Biên bản nghiệm thu.pdf", PDF), types=files.DOCUMENT_TYPES)
    assert checked.name == "Biên bản nghiệm thu.pdf"
    assert (checked.ext, checked.content_type, checked.size) == (".pdf", "application/pdf", len(PDF))


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.exe", b"MZ\x90\x00", files.UPLOAD_BAD_TYPE.format(ext=".exe", allowed="")[:27]),
        ("noextension", b"hello", files.UPLOAD_BAD_TYPE.format(ext="(none)", allowed="")[:31]),
        ("empty.pdf", b"", files.UPLOAD_EMPTY),
        ("fake.pdf", b"<html><script>alert(1)</script>", files.UPLOAD_CONTENT_MISMATCH.format(ext=".pdf")),
        ("binary.txt", b"abc\x00def", files.UPLOAD_CONTENT_MISMATCH.format(ext=".txt")),
        ("latin1.csv", "Hà Nam".encode("latin-1") + b"\xff\xfe" * 10, files.UPLOAD_CONTENT_MISMATCH.format(ext=".csv")),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_on_the_field(name, content, message):
    error = refusal(upload(name, content), field="evidence_file")
    assert error.field == "evidence_file"
    assert error.message.startswith(message)


def test_the_size_limit_is_given_in_megabytes():
    error = refusal(upload("big.pdf", PDF + b"x" * (2 * 1024 * 1024)), max_bytes=1024 * 1024)
    assert error.message == files.UPLOAD_TOO_LARGE.format(size="2.0", limit="1")


def test_text_cut_inside_a_multibyte_character_at_the_sniff_boundary_is_accepted():
    text = ("a" * (files.SNIFF_BYTES - 1) + "ệ" * 10).encode()
    assert files.validate_upload(upload("notes.txt", text), types=files.EVIDENCE_TYPES).ext == ".txt"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_disguised_as_a_workbook_is_refused_before_it_is_unpacked():
    bomb = _zip({"xl/worksheets/sheet1.xml": b"0" * (50 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    error = refusal(upload("rows.xlsx", bomb))
    assert error.message == files.UPLOAD_UNSAFE_ARCHIVE.format(
        reason=f"compression ratio over {default_limits()['max_ratio']}:1"
    )


def test_a_nested_archive_and_a_broken_container_are_refused():
    nested = _zip({"word/document.xml": b"<w/>", "inner.zip": _zip({"a": b"b"})})
    assert "nested archive" in refusal(upload("spec.docx", nested)).message
    assert "not a readable .docx" in refusal(upload("spec.docx", b"PK\x03\x04" + b"junk" * 100)).message


def test_an_ordinary_zip_of_evidence_is_accepted():
    evidence = _zip({"screenshots/step1.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "log.txt": b"ok"})
    assert files.validate_upload(upload("evidence.zip", evidence), types=files.EVIDENCE_TYPES).ext == ".zip"


# --- downloads -----------------------------------------------------------------------------


def test_a_download_is_an_attachment_with_an_rfc6266_name_that_cannot_run_as_a_page():
    response = files.attachment_response(b"<html>", filename='Kế hoạch "go-live".html', content_type="text/html")
    assert response.content == b"<html>"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20%22go-live%22.html" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


# --- page actions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/projects/P1/plan/", "/projects/P1/plan/"),
        ("https://evil.example/phish", "/fallback/"),
        ("//evil.example/phish", "/fallback/"),
        ("javascript:alert(1)", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_next_is_followed_only_within_the_site(target, expected):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, "/fallback/") == expected


@pytest.mark.django_db
def test_an_action_page_refuses_with_a_message_and_redirects_to_a_safe_next(pm, project, client):
    client.force_login(pm)
    phase = project.phases.first()
    response = client.post(
        reverse("projects:phase_status", args=[project.code, phase.pk]),
        {"version": phase.version + 5, "status": "in_progress", "next": "https://evil.example/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == project.get_absolute_url()
    assert "changed by someone else" in response.content.decode()
    phase.refresh_from_db()
    assert phase.status != "in_progress"


@pytest.mark.django_db
def test_an_htmx_action_answers_the_partial_with_the_error_in_it(pm, project, client):
    client.force_login(pm)
    phase = project.phases.first()
    response = client.post(
        reverse("projects:phase_status", args=[project.code, phase.pk]),
        {"version": phase.version + 5, "status": "in_progress"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<tr") and "changed by someone else" in body


# --- segregation of duties -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_requester_of_a_sign_off_cannot_decide_it_through_the_api_or_the_page(
    pm, sponsor, project, client, api_client_for
):
    approval = ApprovalFactory(project=project, requested_by=pm)
    response = api_client_for(pm).post(
        reverse("projects-api:approval-decide", args=[approval.pk]), {"decision": "approved"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == SELF_APPROVAL
    client.force_login(pm)
    page = client.get(project.get_absolute_url())
    assert reverse("projects:approval_decide", args=[project.code, approval.pk]) not in page.content.decode()
    client.post(reverse("projects:approval_decide", args=[project.code, approval.pk]), {"decision": "approved"})
    approval.refresh_from_db()
    assert approval.decision == Approval.Decision.PENDING
    ok = api_client_for(sponsor).post(
        reverse("projects-api:approval-decide", args=[approval.pk]), {"decision": "approved"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["decision"] == "approved"


@pytest.mark.django_db
def test_a_requester_cannot_name_themselves_as_approver(pm, project, api_client_for):
    response = api_client_for(pm).post(
        reverse("projects-api:approval-list"),
        {"project": project.code, "title": "Go-live plan", "approver": pm.username},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["approver"] == [SELF_APPROVAL]


# --- list pages' filters ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_filter_left_on_any_filters_nothing_and_shows_no_error(consultant, project, client):
    from projects.tests.factories import TaskFactory

    design, testing = project.phases.get(kind="design"), project.phases.get(kind="testing")
    TaskFactory(project=project, phase=design, title="BPMN review", status="todo")
    TaskFactory(project=project, phase=testing, title="UAT scripts", status="done")
    client.force_login(consultant)
    url = reverse("projects:plan", args=[project.code])
    page = client.get(url, {"phase": "", "status": "", "owner": "", "q": ""}).content.decode()
    assert "BPMN review" in page and "UAT scripts" in page
    assert "Select a valid choice" not in page
    assert ">Any</option>" in page
    filtered = client.get(url, {"phase": "design", "status": "", "q": ""}).content.decode()
    assert "BPMN review" in filtered and "UAT scripts" not in filtered


@pytest.mark.django_db
def test_a_refused_page_action_says_why(pm, project, client):
    approval = ApprovalFactory(project=project, requested_by=pm)
    client.force_login(pm)
    response = client.post(
        reverse("projects:approval_decide", args=[project.code, approval.pk]), {"decision": "approved"}
    )
    assert response.status_code == 403
    assert SELF_APPROVAL in response.content.decode()
