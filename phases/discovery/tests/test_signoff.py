"""The discovery sign-off: the snapshot, the phase gate, who decides (never the requester)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from erpimpl.errors import DomainError
from phases.discovery import services
from phases.discovery.models import DiscoverySignoff, Requirement
from phases.discovery.tests import factories as f
from projects.models import Approval, Phase
from projects.roles import SELF_APPROVAL


def test_signoff_approved_by_sponsor_opens_the_discovery_gate(project, pm, sponsor):
    f.RequirementFactory(project=project, code="REQ-001", status="agreed", fit_gap="fit", resolution="standard")
    f.RequirementFactory(project=project, code="REQ-002")
    signoff = services.discovery_signoff_request(project=project, by=pm, summary="Ready", approver=sponsor)
    assert signoff.snapshot["agreed_requirements"] == ["REQ-001"]
    phase = Phase.objects.get(project=project, kind="discovery")
    assert phase.gate_approval == signoff.approval
    decided = services.discovery_signoff_decide(signoff=signoff, by=sponsor, decision="approved", comment="Đồng ý")
    assert decided.approval.decision == Approval.Decision.APPROVED
    assert decided.approval.decided_by == sponsor


@pytest.mark.parametrize("role", ["consultant", "key_user", "viewer"])
def test_signoff_by_a_role_that_may_not_sign_is_refused(project, pm, personas, role):
    signoff = f.DiscoverySignoffFactory(project=project, by=pm)
    with pytest.raises(PermissionDenied):
        services.discovery_signoff_decide(signoff=signoff, by=personas[role], decision="approved")
    signoff.approval.refresh_from_db()
    assert signoff.approval.decision == Approval.Decision.PENDING


def test_signoff_refused_from_the_portal_for_key_user(client, project, pm, key_user):
    signoff = f.DiscoverySignoffFactory(project=project, by=pm)
    client.force_login(key_user)
    page = client.get(reverse("discovery-portal:signoff", args=[project.code])).content.decode()
    assert "signoff-decide-form" not in page
    response = client.post(
        reverse("discovery-portal:signoff_decide", args=[project.code, signoff.pk]), {"decision": "approved"}
    )
    assert response.status_code == 403
    signoff.approval.refresh_from_db()
    assert signoff.approval.decision == Approval.Decision.PENDING


def test_sponsor_signs_off_from_the_portal(client, project, pm, sponsor):
    signoff = f.DiscoverySignoffFactory(project=project, by=pm, summary="Tài liệu khảo sát đã hoàn tất")
    client.force_login(sponsor)
    page = client.get(reverse("discovery-portal:signoff", args=[project.code])).content.decode()
    assert "signoff-decide-form" in page and "Tài liệu khảo sát đã hoàn tất" in page
    response = client.post(
        reverse("discovery-portal:signoff_decide", args=[project.code, signoff.pk]),
        {"decision": "approved", "comment": "OK"},
    )
    assert response.status_code == 302
    signoff.approval.refresh_from_db()
    assert signoff.approval.decision == Approval.Decision.APPROVED


def test_the_requester_never_decides_their_own_signoff(client, api_client_for, project, pm, sponsor):
    """Segregation of duties: the PM may approve, but not the sign-off they requested."""
    signoff = f.DiscoverySignoffFactory(project=project, by=pm)
    with pytest.raises(PermissionDenied):
        services.discovery_signoff_decide(signoff=signoff, by=pm, decision="approved")
    api = api_client_for(pm).post(
        reverse("discovery-api:signoff-decide", args=[signoff.pk]), {"decision": "approved"}, format="json"
    )
    assert api.status_code == 403
    client.force_login(pm)
    page = client.get(reverse("discovery-portal:signoff", args=[project.code])).content.decode()
    assert "signoff-decide-form" not in page and 'id="signoff-refusal"' in page and SELF_APPROVAL in page
    assert "Decide now" not in client.get(reverse("discovery:overview", args=[project.code])).content.decode()
    posted = client.post(
        reverse("discovery-portal:signoff_decide", args=[project.code, signoff.pk]), {"decision": "approved"}
    )
    assert posted.status_code == 403
    signoff.approval.refresh_from_db()
    assert signoff.approval.decision == Approval.Decision.PENDING

    client.force_login(sponsor)
    assert "Decide now" in client.get(reverse("discovery:overview", args=[project.code])).content.decode()
    assert (
        "signoff-decide-form" in client.get(reverse("discovery-portal:signoff", args=[project.code])).content.decode()
    )


def test_naming_yourself_as_approver_is_refused(api_client_for, project, pm):
    f.RequirementFactory(project=project, status="agreed", fit_gap="fit", resolution="standard")
    response = api_client_for(pm).post(
        reverse("discovery-api:signoff-list"), {"project": project.code, "approver": pm.username}, format="json"
    )
    assert response.status_code == 400 and "approver" in response.json()
    assert not DiscoverySignoff.objects.filter(project=project).exists()


def test_only_one_pending_signoff_and_something_must_be_agreed(project, pm):
    with pytest.raises(DomainError) as caught:
        services.discovery_signoff_request(project=project, by=pm)
    assert caught.value.message == services.SIGNOFF_NOTHING_AGREED
    f.DiscoverySignoffFactory(project=project, by=pm)
    with pytest.raises(DomainError) as caught:
        services.discovery_signoff_request(project=project, by=pm)
    assert caught.value.message == services.SIGNOFF_PENDING
    assert DiscoverySignoff.objects.filter(project=project).count() == 1


def test_deciding_twice_is_refused(project, pm, sponsor):
    signoff = f.DiscoverySignoffFactory(project=project, by=pm)
    services.discovery_signoff_decide(signoff=signoff, by=sponsor, decision="rejected", comment="Thiếu quy trình kho")
    with pytest.raises(DomainError):
        services.discovery_signoff_decide(signoff=signoff, by=pm, decision="approved")


def test_demo_seed_is_idempotent(db):
    from django.core.management import call_command

    from phases.discovery.models import Kickoff, RaidItem

    call_command("seed_demo")
    counts = (Requirement.objects.count(), RaidItem.objects.count(), Kickoff.objects.count())
    call_command("seed_demo")
    assert (Requirement.objects.count(), RaidItem.objects.count(), Kickoff.objects.count()) == counts
    assert counts[0] >= 10 and Requirement.objects.filter(title__startswith="Truy xuất lô").exists()
    assert RaidItem.objects.filter(internal=True).exists()
    assert DiscoverySignoff.objects.get().approval.decision == Approval.Decision.APPROVED
