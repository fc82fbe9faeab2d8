"""Phase gates decide: a phase completes only through its approved gate, on every door.

The rule: one gate request at a time per phase (refused while one waits for a decision),
none once the gate is approved; a rejected gate may be requested again. Completing a phase
without an approved gate answers 400 on ``status`` naming the gate to request.
"""

import pytest
from django.urls import reverse

from erpimpl.errors import DomainError
from phases.discovery import services as discovery_services
from phases.discovery.tests.factories import RequirementFactory
from projects import services
from projects.models import Approval, Phase, PhaseKind

pytestmark = pytest.mark.django_db

COMPLETED = Phase.Status.COMPLETED


@pytest.fixture
def design(project):
    return project.phases.get(kind=PhaseKind.DESIGN)


def _fresh(phase):
    phase.refresh_from_db()
    return phase


def test_a_phase_without_a_gate_cannot_be_completed_on_any_door(design, pm, client, api_client_for, project):
    message = services.GATE_NOT_REQUESTED.format(phase="Design")
    with pytest.raises(DomainError) as caught:
        services.phase_update(phase=design, by=pm, version=design.version, status=COMPLETED)
    assert (caught.value.message, caught.value.field) == (message, "status")

    api = api_client_for(pm).patch(
        reverse("projects-api:phase-detail", args=[design.pk]), {"version": design.version, "status": COMPLETED}
    )
    assert api.status_code == 400 and api.json() == {"status": [message]}

    client.force_login(pm)
    page = client.post(
        reverse("projects:phase_status", args=[project.code, design.pk]),
        {"version": design.version, "status": COMPLETED},
        HTTP_HX_REQUEST="true",
    )
    assert page.status_code == 200 and message in page.content.decode()
    assert _fresh(design).status == Phase.Status.NOT_STARTED and design.version == 1


def test_a_rejected_gate_blocks_completion_until_a_new_request_is_approved(design, pm, sponsor):
    first = services.phase_request_gate(phase=design, by=pm, approver=sponsor)
    services.approval_decide(approval=first, by=sponsor, decision=Approval.Decision.REJECTED, comment="Missing BPMN")
    design = _fresh(design)
    with pytest.raises(DomainError) as caught:
        services.phase_update(phase=design, by=pm, version=design.version, status=COMPLETED)
    assert caught.value.message == services.GATE_REJECTED.format(phase="Design")

    second = services.phase_request_gate(phase=design, by=pm, approver=sponsor)
    services.approval_decide(approval=second, by=sponsor, decision=Approval.Decision.APPROVED)
    done = services.phase_update(phase=_fresh(design), by=pm, version=design.version, status=COMPLETED)
    assert done.status == COMPLETED and done.gate_approval == second
    first.refresh_from_db()
    assert first.decision == Approval.Decision.REJECTED  # decided, not left pending


def test_no_second_gate_request_while_one_waits_and_none_once_approved(design, pm, sponsor, api_client_for):
    pending = services.phase_request_gate(phase=design, by=pm, approver=sponsor)
    url = reverse("projects-api:phase-request-gate", args=[design.pk])
    response = api_client_for(pm).post(url, {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": services.GATE_ALREADY_PENDING.format(phase="Design")}

    services.approval_decide(approval=pending, by=sponsor, decision=Approval.Decision.APPROVED)
    with pytest.raises(DomainError) as caught:
        services.phase_request_gate(phase=_fresh(design), by=pm)
    assert caught.value.message == services.GATE_ALREADY_APPROVED.format(phase="Design")
    assert api_client_for(pm).post(url, {}, format="json").status_code == 400

    gates = Approval.objects.filter(project=design.project, object_id=design.pk, content_type__model="phase")
    assert list(gates.values_list("decision", flat=True)) == [Approval.Decision.APPROVED]
    assert _fresh(design).gate_approval == pending


def test_the_page_offers_the_gate_request_only_when_one_may_be_requested(design, pm, sponsor, client, project):
    client.force_login(pm)
    url = reverse("projects:project_detail", args=[project.code])
    button = reverse("projects:phase_gate", args=[project.code, design.pk])
    assert button in client.get(url).content.decode()
    gate = services.phase_request_gate(phase=design, by=pm, approver=sponsor)
    assert button not in client.get(url).content.decode()
    response = client.post(button, follow=True)
    assert services.GATE_ALREADY_PENDING.format(phase="Design") in response.content.decode()
    services.approval_decide(approval=gate, by=sponsor, decision=Approval.Decision.REJECTED)
    assert button in client.get(url).content.decode()


def test_the_discovery_signoff_is_the_discovery_gate_and_follows_the_same_rule(project, pm, sponsor):
    RequirementFactory(project=project, status="agreed", fit_gap="fit", resolution="standard")
    discovery = project.phases.get(kind=PhaseKind.DISCOVERY)
    generic = services.phase_request_gate(phase=discovery, by=pm, approver=sponsor)
    with pytest.raises(DomainError) as caught:
        discovery_services.discovery_signoff_request(project=project, by=pm, approver=sponsor)
    assert caught.value.message == services.GATE_ALREADY_PENDING.format(phase="Discovery & Planning")
    assert not project.discovery_signoffs.exists()  # nothing half-made

    services.approval_decide(approval=generic, by=sponsor, decision=Approval.Decision.REJECTED)
    signoff = discovery_services.discovery_signoff_request(project=project, by=pm, approver=sponsor)
    assert _fresh(discovery).gate_approval == signoff.approval
    discovery_services.discovery_signoff_decide(signoff=signoff, by=sponsor, decision="approved")
    done = services.phase_update(phase=_fresh(discovery), by=pm, version=discovery.version, status=COMPLETED)
    assert done.status == COMPLETED
    with pytest.raises(DomainError):
        discovery_services.discovery_signoff_request(project=project, by=pm, approver=sponsor)


def test_a_completed_phase_keeps_its_status_when_edited_again(design, pm, sponsor):
    gate = services.phase_request_gate(phase=design, by=pm, approver=sponsor)
    services.approval_decide(approval=gate, by=sponsor, decision=Approval.Decision.APPROVED)
    done = services.phase_update(phase=_fresh(design), by=pm, version=design.version, status=COMPLETED)
    again = services.phase_update(phase=done, by=pm, version=done.version, status=COMPLETED)
    assert again.version == done.version  # nothing changed, nothing saved


def test_the_demo_completes_discovery_through_its_approved_gate(db):
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    for phase in Phase.objects.filter(project__code="DEMO-ERP", status=COMPLETED).select_related("gate_approval"):
        assert phase.gate_approval is not None and phase.gate_approval.decision == Approval.Decision.APPROVED
    assert Phase.objects.get(project__code="DEMO-ERP", kind=PhaseKind.DISCOVERY).status == COMPLETED
