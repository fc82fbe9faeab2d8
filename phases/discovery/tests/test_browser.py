"""Discovery in a real browser: a consultant runs discovery, the sponsor signs off in the portal."""

import pytest

from phases.discovery.models import Requirement
from phases.discovery.tests import factories as f
from projects.models import Approval
from projects.roles import Role
from projects.tests.factories import MembershipFactory, ProjectFactory, UserFactory

SETTLE_FLAG = """() => {
    window.__settled = false;
    document.body.addEventListener('htmx:afterSettle', () => { window.__settled = true; }, {once: true});
}"""

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup():
    project = ProjectFactory(code="DISC-1", name="Triển khai ERP Sao Mai")
    users = {
        role: MembershipFactory(project=project, role=role, user=UserFactory(username=name)).user
        for role, name in [(Role.PM, "alice_pm"), (Role.CONSULTANT, "bob_consultant"), (Role.SPONSOR, "sam_sponsor")]
    }
    f.RaidItemFactory(project=project, title="Rủi ro nội bộ về ngân sách", internal=True)
    return project, users


def test_consultant_adds_a_requirement_and_requests_sign_off(browser, setup):
    project, _ = setup
    browser.login("bob_consultant")
    page = browser.page
    browser.goto(f"/projects/{project.code}/discovery/requirements/new/")
    page.fill("#id_title", "Truy xuất lô hàng và hạn sử dụng")
    page.select_option("#id_business_area", "inventory")
    page.select_option("#id_priority", "must")
    page.select_option("#id_fit_gap", "fit")
    page.select_option("#id_resolution", "configuration")
    page.select_option("#id_status", "agreed")
    page.click("#object-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="REQ-001 · Truy xuất lô hàng và hạn sử dụng").is_visible()

    browser.goto(f"/projects/{project.code}/discovery/requirements/")
    row = page.locator("#object-table tbody tr").first
    for status, version in [("reviewed", "2"), ("agreed", "3")]:
        # Wait for htmx to settle the swapped row, so the next change reaches a processed select.
        page.evaluate(SETTLE_FLAG)
        row.locator("select[name=status]").select_option(status)
        page.wait_for_function("() => window.__settled")
        page.wait_for_function(
            f"() => document.querySelector('#object-table input[name=version]').value === '{version}'"
        )
        assert Requirement.objects.get(project=project).status == status

    browser.goto(f"/projects/{project.code}/discovery/")
    page.wait_for_function("() => document.querySelector('canvas[data-chart-source]').width > 0")
    page.click("#signoff-request-form button")
    page.wait_for_load_state("networkidle")
    assert "Waiting for the sponsor" in page.content()
    assert browser.console_errors == []


def test_sponsor_approves_discovery_in_the_portal(browser, setup):
    project, users = setup
    f.RequirementFactory(
        project=project, code="REQ-001", title="Hóa đơn điện tử", status="agreed", fit_gap="gap", resolution="custom"
    )
    signoff = f.DiscoverySignoffFactory(project=project, by=users[Role.PM], summary="Sẵn sàng ký duyệt")
    browser.login("sam_sponsor")
    page = browser.page
    browser.goto(f"/portal/{project.code}/discovery/")
    assert page.locator("#agreed-requirements").get_by_text("Hóa đơn điện tử").is_visible()
    assert "Rủi ro nội bộ" not in page.content()
    page.check("#signoff-decide-form input[value=approved]")
    page.fill("#signoff-decide-form textarea", "Đồng ý")
    page.click("#signoff-decide-form button")
    page.wait_for_load_state("networkidle")
    assert "Your decision is recorded." in page.content()
    signoff.approval.refresh_from_db()
    assert signoff.approval.decision == Approval.Decision.APPROVED
    assert Requirement.objects.filter(project=project).count() == 1
    assert browser.console_errors == []
