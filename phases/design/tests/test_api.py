"""The design API as an integrator uses it: uploads, downloads, versions, filters, coverage."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases.design import bpmn, services
from phases.design.models import ProcessDesign, TechnicalRequirement
from phases.design.tests.factories import (
    P2P_BPMN,
    FunctionDescriptionFactory,
    ProcessDesignFactory,
    RequirementFactory,
    UploadFactory,
)
from phases.design.tests.test_bpmn import XXE
from phases.discovery.models import Requirement
from projects.files import UPLOAD_CONTENT_MISMATCH

pytestmark = pytest.mark.django_db

LIST = reverse("design-api:processdesign-list")


def detail(pk):
    return reverse("design-api:processdesign-detail", args=[pk])


def test_create_a_design_with_steps_and_requirements(project, consultant, api_client_for):
    requirement = RequirementFactory(project=project)
    body = {
        "project": project.code,
        "business_area": "procurement",
        "name": "Procure to pay",
        "to_be": "PO from approved requisitions.",
        "requirements": [requirement.pk],
        "steps": [{"title": "Create requisition", "actor": "Requester"}, {"title": "Approve"}],
    }
    response = api_client_for(consultant).post(LIST, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["code"], data["status"], data["revision"]) == ("PD-001", "draft", 1)
    assert [s["title"] for s in data["steps"]] == ["Create requisition", "Approve"]
    assert data["requirements"][0]["code"] == requirement.code
    assert data["has_bpmn"] is False and data["bpmn_url"] is None


def test_a_requirement_of_another_project_cannot_even_be_named(project, other_project, consultant, api_client_for):
    foreign = RequirementFactory(project=other_project)
    body = {"project": project.code, "business_area": "sales", "name": "O2C", "requirements": [foreign.pk]}
    response = api_client_for(consultant).post(LIST, body, format="json")
    assert response.status_code == 400
    assert "requirements" in response.json()
    assert not ProcessDesign.objects.exists()


def test_upload_then_download_the_bpmn_file(project, consultant, viewer, api_client_for):
    design = ProcessDesignFactory(project=project)
    url = reverse("design-api:processdesign-upload-bpmn", args=[design.pk])
    upload = UploadFactory()
    response = api_client_for(consultant).post(url, {"version": design.version, "file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["bpmn_url"] == reverse("design-api:processdesign-bpmn", args=[design.pk])

    download = api_client_for(viewer).get(response.json()["bpmn_url"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/xml")
    assert download["Content-Disposition"] == 'attachment; filename="procure-to-pay.bpmn"'
    assert download.content == P2P_BPMN
    assert (download["X-Content-Type-Options"], download["Content-Security-Policy"]) == ("nosniff", "sandbox")


def test_an_xxe_upload_answers_400_with_the_reason_and_changes_nothing(project, consultant, api_client_for):
    design = ProcessDesignFactory(project=project)
    url = reverse("design-api:processdesign-upload-bpmn", args=[design.pk])
    upload = SimpleUploadedFile("evil.bpmn", XXE, content_type="application/xml")
    response = api_client_for(consultant).post(url, {"version": design.version, "file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": [bpmn.BPMN_UNSAFE]}  # the request's field, not the service's name
    design.refresh_from_db()
    assert (design.bpmn_xml, design.version) == ("", 1)


def test_download_of_a_design_without_diagram_is_404(project, viewer, api_client_for):
    design = ProcessDesignFactory(project=project)
    assert api_client_for(viewer).get(reverse("design-api:processdesign-bpmn", args=[design.pk])).status_code == 404


def test_submit_decide_change_and_read_the_earlier_version(project, consultant, sponsor, api_client_for):
    design = ProcessDesignFactory(project=project)
    editor, approver = api_client_for(consultant), api_client_for(sponsor)
    assert editor.post(reverse("design-api:processdesign-submit", args=[design.pk])).json()["status"] == "in_review"

    refused = approver.post(reverse("design-api:processdesign-decide", args=[design.pk]), {"decision": "rejected"})
    assert refused.status_code == 400
    assert refused.json() == {"comment": [services.REJECT_NEEDS_COMMENT]}
    decided = approver.post(
        reverse("design-api:processdesign-decide", args=[design.pk]), {"decision": "approved", "comment": "OK"}
    )
    assert decided.json()["status"] == "approved"
    assert decided.json()["signoff"]["decided_by"]["username"] == sponsor.username

    version = decided.json()["version"]
    changed = editor.patch(detail(design.pk), {"version": version, "to_be": "Now with CFO approval."}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["revision"]) == ("in_review", 2)

    stale = editor.patch(detail(design.pk), {"version": version, "to_be": "Lost?"}, format="json")
    assert stale.status_code == 409

    versions = editor.get(reverse("design-api:processdesignversion-list"), {"design": design.pk}).json()
    assert versions["count"] == 1
    (row,) = versions["results"]
    assert (row["number"], row["status"], row["design_code"]) == (1, "approved", design.code)
    old = editor.get(reverse("design-api:processdesignversion-detail", args=[row["id"]])).json()
    assert old["to_be"] == design.to_be and old["signoff"]["decision"] == "approved"


def test_filters_by_status_business_area_and_text(project, consultant, api_client_for):
    sales = ProcessDesignFactory(project=project, business_area="sales", name="Order to cash")
    ProcessDesignFactory(project=project, business_area="finance", name="Record to report")
    services.process_design_submit(design=sales, by=consultant)
    client = api_client_for(consultant)

    def names(**params):
        return {row["name"] for row in client.get(LIST, {"project": project.code, **params}).json()["results"]}

    assert names(status="in_review") == {"Order to cash"}
    assert names(status="draft") == {"Record to report"}
    assert names(business_area="finance") == {"Record to report"}
    assert names(q="cash") == {"Order to cash"}
    assert client.get(LIST, {"status": "nonsense"}).status_code == 400


def test_list_query_count_does_not_grow_with_rows(project, consultant, api_client_for, django_assert_max_num_queries):
    requirement = RequirementFactory(project=project)
    for _ in range(15):
        ProcessDesignFactory(project=project, requirements=[requirement])
    client = api_client_for(consultant)
    with django_assert_max_num_queries(12):
        response = client.get(LIST, {"project": project.code})
    assert response.json()["count"] == 15


def test_technical_requirement_with_an_evidence_file_over_multipart(project, consultant, key_user, api_client_for):
    body = {
        "project": project.code,
        "category": "backup_recovery",
        "title": "Nightly backup",
        "acceptance_criterion": "Restore under 4 hours",
        "status": "verified",
        "evidence_file": SimpleUploadedFile("restore.txt", b"restore took 2h"),
    }
    response = api_client_for(consultant).post(
        reverse("design-api:technicalrequirement-list"), body, format="multipart"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["code"], data["status"], data["verified_by"]["username"]) == (
        "TR-001",
        "verified",
        consultant.username,
    )
    download = api_client_for(key_user).get(data["evidence_file_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"restore took 2h"
    assert (download["X-Content-Type-Options"], download["Content-Security-Policy"]) == ("nosniff", "sandbox")


def test_an_evidence_file_whose_content_does_not_match_its_extension_answers_400(project, consultant, api_client_for):
    body = {
        "project": project.code,
        "category": "security",
        "title": "MFA",
        "acceptance_criterion": "MFA on",
        "evidence_file": UploadFactory(name="screenshot.png", content=b"%PDF-1.7 a PDF named .png"),
    }
    response = api_client_for(consultant).post(
        reverse("design-api:technicalrequirement-list"), body, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"evidence_file": [UPLOAD_CONTENT_MISMATCH.format(ext=".png")]}
    assert not TechnicalRequirement.objects.exists()


def test_the_requester_cannot_decide_their_own_sign_off_over_the_api(project, pm, sponsor, api_client_for):
    design = ProcessDesignFactory(project=project)
    requester = api_client_for(pm)
    assert requester.post(reverse("design-api:processdesign-submit", args=[design.pk])).status_code == 200
    decide = reverse("design-api:processdesign-decide", args=[design.pk])
    refused = requester.post(decide, {"decision": "approved"}, format="json")
    assert refused.status_code == 403
    assert ProcessDesign.objects.get(pk=design.pk).status == "in_review"
    assert api_client_for(sponsor).post(decide, {"decision": "approved"}, format="json").json()["status"] == "approved"


def test_verifying_without_evidence_answers_400(project, consultant, api_client_for):
    body = {"project": project.code, "category": "security", "title": "MFA", "acceptance_criterion": "MFA on"}
    client = api_client_for(consultant)
    created = client.post(reverse("design-api:technicalrequirement-list"), body, format="json").json()
    url = reverse("design-api:technicalrequirement-detail", args=[created["id"]])
    response = client.patch(url, {"version": created["version"], "status": "verified"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"evidence": [services.VERIFY_NEEDS_EVIDENCE]}


def test_coverage_endpoint_counts(project, consultant, sponsor, api_client_for):
    covered = RequirementFactory(project=project, code="REQ-001")
    described = RequirementFactory(project=project, code="REQ-002")
    RequirementFactory(project=project, code="REQ-003", title="FEFO picking")
    RequirementFactory(project=project, code="REQ-004", status=Requirement.Status.REVIEWED)
    ProcessDesignFactory(project=project, requirements=[covered])
    ProcessDesignFactory(project=project, name="Cycle count")
    FunctionDescriptionFactory(project=project, requirement=described)
    url = reverse("design-api:coverage-list")
    assert api_client_for(sponsor).get(url).status_code == 400
    data = api_client_for(sponsor).get(url, {"project": project.code}).json()
    assert data["agreed_requirements"] == 3
    assert data["covered_requirements"] == 2
    assert data["uncovered_count"] == 1
    assert data["designs_without_requirements_count"] == 1
    assert data["coverage_percent"] == 67
    assert [r["code"] for r in data["uncovered_requirements"]] == ["REQ-003"]
    assert [d["name"] for d in data["designs_without_requirements"]] == ["Cycle count"]
