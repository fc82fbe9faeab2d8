"""A defect raised from a failed step shows that step (expected, actual result) and its evidence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from testing import services
from testing.models import Cycle, Defect
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def raised(client, project, key_user):
    """A key user runs a UAT case in the portal, fails step 2 with evidence and raises a defect from it."""
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    cc = CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project, steps=2), assignee=key_user)
    client.force_login(key_user)
    client.post(reverse("testing-portal:execution_start", args=[project.code, cc.pk]))
    run = cc.executions.get()
    client.post(
        reverse("testing-portal:execution_step", args=[project.code, run.pk, 1]),
        {"status": "passed", "actual_result": "Đăng nhập được"},
    )
    client.post(
        reverse("testing-portal:execution_step", args=[project.code, run.pk, 2]),
        {"status": "failed", "actual_result": "Thuế suất hiển thị 8% thay vì 10%"},
    )
    upload = reverse("testing-portal:evidence_upload", args=[project.code, run.pk])
    client.post(upload, {"file": SimpleUploadedFile("thue-suat.png", PNG), "step": 2})
    client.post(upload, {"file": SimpleUploadedFile("buoc-1.png", PNG), "step": 1})
    client.post(upload, {"file": SimpleUploadedFile("ca-lan-chay.png", PNG)})
    step = run.step_results.get(order=2)
    response = client.post(
        reverse("testing-portal:execution_defect", args=[project.code, run.pk]),
        {"title": "Sai thuế suất", "severity": "critical", "priority": "high", "step_result": step.pk},
    )
    assert response.status_code == 302
    return Defect.objects.get(step_result=step)


def test_the_defect_page_shows_the_failed_step_and_its_evidence(client, project, key_user, raised):
    page = client.get(reverse("testing:defect_detail", args=[project.code, raised.pk])).content.decode()
    assert 'id="failed-step"' in page
    assert "Thuế suất hiển thị 8% thay vì 10%" in page  # the actual result
    assert "Step 2 works" in page  # the expected result
    assert "thue-suat.png" in page
    assert "buoc-1.png" not in page and "ca-lan-chay.png" not in page  # another step's, the run's own
    evidence = raised.step_result.evidence.get()
    link = reverse("testing:evidence_download", args=[project.code, evidence.pk])
    assert f'href="{link}"' in page
    download = client.get(link)
    assert download.status_code == 200 and "thue-suat.png" in download["Content-Disposition"]


def test_the_api_shows_the_failed_step_and_its_evidence(api_client_for, client, project, key_user, viewer, raised):
    for persona in (key_user, viewer):
        body = api_client_for(persona).get(reverse("testing-api:defect-detail", args=[raised.pk])).json()
        step = body["step_result"]
        assert (body["step"], step["order"], step["status"]) == (2, 2, "failed")
        assert step["expected_result"] == "Step 2 works"
        assert step["actual_result"] == "Thuế suất hiển thị 8% thay vì 10%"
        assert [e["original_name"] for e in step["evidence"]] == ["thue-suat.png"]
    client.force_login(viewer)
    download = client.get(step["evidence"][0]["download_url"])
    assert download.status_code == 200 and "thue-suat.png" in download["Content-Disposition"]


def test_evidence_attached_after_raising_shows_on_the_defect(api_client_for, project, key_user, raised):
    run = raised.execution
    services.evidence_add(execution=run, by=key_user, file=SimpleUploadedFile("sau-do.png", PNG), step_order=2)
    body = api_client_for(key_user).get(reverse("testing-api:defect-detail", args=[raised.pk])).json()
    assert [e["original_name"] for e in body["step_result"]["evidence"]] == ["thue-suat.png", "sau-do.png"]


def test_a_defect_raised_on_its_own_shows_no_step(client, api_client_for, project, consultant):
    defect = services.defect_create(project=project, by=consultant, title="Báo cáo chậm")
    client.force_login(consultant)
    page = client.get(reverse("testing:defect_detail", args=[project.code, defect.pk])).content.decode()
    assert 'id="failed-step"' not in page
    body = api_client_for(consultant).get(reverse("testing-api:defect-detail", args=[defect.pk])).json()
    assert (body["step"], body["step_result"]) == (None, None)


def test_the_portal_lists_the_defect_with_a_link_to_its_step(client, project, key_user, raised):
    page = client.get(reverse("testing-portal:uat_home", args=[project.code])).content.decode()
    run_url = reverse("testing-portal:execution_detail", args=[project.code, raised.execution_id])
    assert f'href="{run_url}#step-2"' in page


def test_the_schema_documents_the_step_and_its_evidence():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    step_result = components["Defect"]["properties"]["step_result"]
    assert step_result.get("nullable") or any(
        part.get("nullable") for part in step_result.get("oneOf", []) + step_result.get("allOf", [])
    )
    step = components["DefectStep"]["properties"]
    assert {"order", "expected_result", "actual_result", "evidence"} <= set(step)
    assert "download_url" in components["DefectEvidence"]["properties"]
