"""The dashboard pages as a consultant uses them: forms call the services and show their refusals."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from phases.design import bpmn, services
from phases.design.models import ProcessDesign, TechnicalRequirement
from phases.design.tests.factories import ProcessDesignFactory, RequirementFactory, UploadFactory
from projects.files import UPLOAD_CONTENT_MISMATCH

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(**extra):
    data = {
        "business_area": "procurement",
        "name": "Procure to pay",
        "to_be": "PO from approved requisitions.",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "100",
        "steps-0-title": "Create requisition",
        "steps-0-actor": "Requester",
        "steps-1-title": "",
    }
    data.update(extra)
    return data


def test_a_consultant_creates_a_design_with_diagram_and_steps(project, consultant):
    requirement = RequirementFactory(project=project)
    response = logged_in(consultant).post(
        reverse("design:design_create", args=[project.code]),
        form_data(requirements=[requirement.pk], bpmn_file=UploadFactory(name="p2p.bpmn")),
    )
    design = ProcessDesign.objects.get()
    assert response.status_code == 302 and response["Location"] == design.get_absolute_url()
    assert design.bpmn_filename == "p2p.bpmn"
    assert list(design.steps.values_list("title", flat=True)) == ["Create requisition"]
    page = logged_in(consultant).get(design.get_absolute_url())
    assert 'data-bpmn-source="bpmn-design"' in page.content.decode()
    assert "Create requisition" in page.content.decode()


def test_an_invalid_diagram_is_shown_on_the_form_and_nothing_is_saved(project, consultant):
    response = logged_in(consultant).post(
        reverse("design:design_create", args=[project.code]),
        form_data(bpmn_file=UploadFactory(name="note.bpmn", content=b"<note/>")),
    )
    assert response.status_code == 200
    assert escape(bpmn.BPMN_NOT_BPMN.format(found="note")) in response.content.decode()
    assert not ProcessDesign.objects.exists()


def test_the_coverage_page_shows_the_counts(project, viewer):
    covered = RequirementFactory(project=project, code="REQ-001")
    RequirementFactory(project=project, code="REQ-002", title="FEFO picking")
    ProcessDesignFactory(project=project, requirements=[covered])
    page = logged_in(viewer).get(reverse("design:coverage", args=[project.code])).content.decode()
    assert 'data-count="agreed">2<' in page
    assert 'data-count="uncovered">1<' in page
    assert "FEFO picking" in page


def test_a_key_user_cannot_sign_off_from_the_portal(project, consultant, key_user):
    design = services.process_design_submit(design=ProcessDesignFactory(project=project), by=consultant)
    url = reverse("design-portal:signoff_decide", args=[project.code, design.pk])
    assert logged_in(key_user).post(url, {"decision": "approved"}).status_code == 403
    assert ProcessDesign.objects.get(pk=design.pk).status == "in_review"
    page = logged_in(key_user).get(reverse("design-portal:signoff_list", args=[project.code])).content.decode()
    assert design.name in page and 'value="approved"' not in page


def test_the_sponsor_sees_the_decision_buttons_and_a_rejection_needs_a_comment(project, consultant, sponsor):
    design = services.process_design_submit(design=ProcessDesignFactory(project=project), by=consultant)
    client = logged_in(sponsor)
    page = client.get(reverse("design-portal:signoff_list", args=[project.code])).content.decode()
    assert 'value="approved"' in page
    url = reverse("design-portal:signoff_decide", args=[project.code, design.pk])
    response = client.post(url, {"decision": "rejected"}, follow=True)
    assert services.REJECT_NEEDS_COMMENT in response.content.decode()
    assert ProcessDesign.objects.get(pk=design.pk).status == "in_review"


def test_editing_an_approved_design_in_the_form_keeps_a_version_and_asks_for_sign_off_again(
    project, consultant, sponsor
):
    design = ProcessDesignFactory(project=project)
    services.process_design_submit(design=design, by=consultant)
    design = services.process_design_decide(design=design, by=sponsor, decision="approved")
    client = logged_in(consultant)
    edit = client.get(reverse("design:design_edit", args=[project.code, design.pk]))
    assert "keeps the approved content as a version" in edit.content.decode()
    data = form_data(name=design.name, to_be="Changed after approval.", version=design.version)
    response = client.post(reverse("design:design_edit", args=[project.code, design.pk]), data)
    assert response.status_code == 302
    design.refresh_from_db()
    assert (design.status, design.revision, design.versions.count()) == ("in_review", 2, 1)
    version = design.versions.get()
    page = client.get(reverse("design:version_detail", args=[project.code, version.pk])).content.decode()
    assert "A read-only earlier version." in page


def test_the_requester_gets_no_decision_buttons_and_is_refused(project, pm, sponsor):
    """Segregation of duties on the pages: the PM submitted the design, so the PM does not
    decide it (no buttons, and a POST answers 403); the sponsor does."""
    design = services.process_design_submit(design=ProcessDesignFactory(project=project), by=pm)
    requester, approver = logged_in(pm), logged_in(sponsor)
    pages = [
        reverse("design:design_detail", args=[project.code, design.pk]),
        reverse("design-portal:signoff_list", args=[project.code]),
        reverse("design-portal:design_detail", args=[project.code, design.pk]),
    ]
    for url in pages:
        assert 'value="approved"' not in requester.get(url).content.decode(), url
        assert 'value="approved"' in approver.get(url).content.decode(), url
    for name in ("design:design_decide", "design-portal:signoff_decide"):
        response = requester.post(reverse(name, args=[project.code, design.pk]), {"decision": "approved"})
        assert response.status_code == 403
    assert ProcessDesign.objects.get(pk=design.pk).status == "in_review"
    response = approver.post(reverse("design:design_decide", args=[project.code, design.pk]), {"decision": "approved"})
    assert response.status_code == 302
    assert ProcessDesign.objects.get(pk=design.pk).status == "approved"


def test_an_evidence_file_with_the_wrong_content_is_refused_on_the_form(project, consultant):
    data = {
        "category": "security",
        "title": "TLS everywhere",
        "acceptance_criterion": "TLS 1.2+",
        "status": "open",
        "evidence_file": UploadFactory(name="scan.pdf", content=b"plain text, not a PDF"),
    }
    response = logged_in(consultant).post(reverse("design:technical_create", args=[project.code]), data)
    assert response.status_code == 200
    assert escape(UPLOAD_CONTENT_MISMATCH.format(ext=".pdf")) in response.content.decode()
    assert not TechnicalRequirement.objects.exists()


def test_downloads_are_attachments_that_never_run_as_pages(project, consultant, viewer):
    design = services.process_design_create(
        project=project, by=consultant, business_area="procurement", name="P2P", bpmn_file=UploadFactory()
    )
    tr = services.technical_requirement_create(
        project=project,
        by=consultant,
        category="security",
        title="TLS",
        acceptance_criterion="TLS 1.2+",
        evidence_file=UploadFactory(name="Kết quả quét.txt", content=b"sslscan: ok", content_type="text/plain"),
    )
    client = logged_in(viewer)
    bpmn = client.get(reverse("design:design_bpmn", args=[project.code, design.pk]))
    evidence = client.get(reverse("design:technical_evidence", args=[project.code, tr.pk]))
    assert bpmn["Content-Disposition"] == 'attachment; filename="procure-to-pay.bpmn"'
    assert evidence["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert b"".join(evidence.streaming_content) == b"sslscan: ok"
    for response in (bpmn, evidence):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "sandbox"
