"""One small test per list filter of the discovery API (NetBox-style)."""

import pytest
from django.urls import reverse

from phases.discovery.tests import factories as f


@pytest.fixture
def get(api_client_for, pm):
    client = api_client_for(pm)

    def fetch(basename, **params):
        response = client.get(reverse(f"discovery-api:{basename}-list"), params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    return fetch


def test_requirement_filters(get, project, other_project, pm, consultant):
    must = f.RequirementFactory(project=project, priority="must", fit_gap="gap", owner=consultant, title="Hóa đơn")
    could = f.RequirementFactory(
        project=project, priority="could", fit_gap="fit", status="reviewed", business_area="hr"
    )
    assert get("requirement", project=project.code) == {must.pk, could.pk}
    assert get("requirement", priority="must") == {must.pk}
    assert get("requirement", fit_gap="fit") == {could.pk}
    assert get("requirement", status="reviewed") == {could.pk}
    assert get("requirement", business_area="hr") == {could.pk}
    assert get("requirement", owner=consultant.username) == {must.pk}
    assert get("requirement", q="hóa") == {must.pk}
    assert get("requirement", priority=["must", "could"]) == {must.pk, could.pk}


def test_requirement_ordering(api_client_for, pm, project):
    f.RequirementFactory(project=project, code="B-2")
    f.RequirementFactory(project=project, code="A-1")
    rows = api_client_for(pm).get(reverse("discovery-api:requirement-list"), {"ordering": "-code"}).json()["results"]
    assert [r["code"] for r in rows] == ["B-2", "A-1"]


def test_raid_item_filters(get, project, pm):
    risk = f.RaidItemFactory(project=project, status="open", owner=pm, internal=True)
    decision = f.RaidItemFactory(project=project, kind="decision", status="closed", title="Chọn phương án 2 đợt")
    assert get("raid-item", kind="risk") == {risk.pk}
    assert get("raid-item", status="closed") == {decision.pk}
    assert get("raid-item", owner=pm.username) == {risk.pk}
    assert get("raid-item", internal="true") == {risk.pk}
    assert get("raid-item", q="phương án") == {decision.pk}


def test_stakeholder_process_wave_document_kickoff_filters(get, project):
    high = f.StakeholderFactory(project=project, influence="high", organisation="Deloitte")
    f.StakeholderFactory(project=project, influence="low")
    assert get("stakeholder", influence="high") == {high.pk}
    assert get("stakeholder", organisation="deloitte") == {high.pk}
    proc = f.CurrentProcessFactory(project=project, business_area="inventory", name="Kiểm kê")
    f.CurrentProcessFactory(project=project, business_area="finance")
    assert get("current-process", business_area="inventory") == {proc.pk}
    assert get("current-process", q="kiểm kê") == {proc.pk}
    wave = f.RolloutWaveFactory(project=project, name="Đợt 1")
    wave.sites.create(company="Sao Mai", site="Long An")
    f.RolloutWaveFactory(project=project)
    assert get("rollout-wave", q="long an") == {wave.pk}
    doc = f.PlanDocumentFactory(project=project, kind="preparation")
    f.PlanDocumentFactory(project=project, kind="test_procedure")
    assert get("plan-document", kind="preparation") == {doc.pk}
    kickoff = f.KickoffFactory(project=project)
    assert get("kickoff", date_after="2026-01-01", date_before="2026-01-31") == {kickoff.pk}
    assert get("kickoff", date_after="2026-02-01") == set()


def test_signoff_filter_by_decision(get, project, pm, sponsor):
    from phases.discovery import services

    signoff = f.DiscoverySignoffFactory(project=project, by=pm)
    assert get("signoff", decision="pending") == {signoff.pk}
    services.discovery_signoff_decide(signoff=signoff, by=sponsor, decision="approved")
    assert get("signoff", decision="approved") == {signoff.pk}
    assert get("signoff", decision="pending") == set()


def test_not_assessed_and_not_decided_can_be_chosen(get, client, project, pm):
    open_ = f.RequirementFactory(project=project, fit_gap="", resolution="", title="Chưa đánh giá")
    gap = f.RequirementFactory(project=project, fit_gap="gap", resolution="extension", title="Thiếu chức năng")
    assert get("requirement", fit_gap="none") == {open_.pk}
    assert get("requirement", fit_gap=["none", "gap"]) == {open_.pk, gap.pk}
    assert get("requirement", resolution="none") == {open_.pk}
    client.force_login(pm)
    url = reverse("discovery:requirement_list", args=[project.code])
    page = client.get(url).content.decode()
    assert '<option value="none">Not assessed</option>' in page
    filtered = client.get(url, {"fit_gap": "none"}).content.decode()
    assert open_.code in filtered and gap.code not in filtered
