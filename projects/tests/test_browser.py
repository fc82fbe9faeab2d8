"""The UI shell in a real browser (Playwright driving Debian's chromium, headless)."""

import pytest

from projects.roles import Role
from projects.tests.factories import MembershipFactory, ProjectFactory, TaskFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_like_project():
    project = ProjectFactory(code="SHELL-1", name="Triển khai ERP Sao Mai")
    users = {}
    for role, username in [
        (Role.CONSULTANT, "bob_consultant"),
        (Role.KEY_USER, "kim_keyuser"),
        (Role.SPONSOR, "sam_sponsor"),
    ]:
        users[role] = MembershipFactory(project=project, role=role, user=UserFactory(username=username)).user
    TaskFactory(project=project, title="Internal estimate", internal=True)
    return project, users


def test_a_consultant_signs_in_and_sees_the_dashboard_with_progress(browser, demo_like_project):
    project, _ = demo_like_project
    browser.login("bob_consultant")
    page = browser.page
    assert page.url.endswith("/dashboard/")
    assert page.locator("#project-table").get_by_text("SHELL-1").is_visible()
    page.wait_for_function(
        "() => document.querySelector('#phase-chart') && document.querySelector('#phase-chart').width > 0"
    )
    page.get_by_role("link", name="SHELL-1").first.click()
    assert page.locator("#phase-table tbody tr").count() == 6
    browser.goto(f"/projects/{project.code}/plan/")
    page.wait_for_selector("#gantt svg")
    assert "Internal estimate" in page.content()
    assert browser.console_errors == []


def test_a_key_user_lands_on_the_portal_and_sees_nothing_internal(browser, demo_like_project):
    project, _ = demo_like_project
    browser.login("kim_keyuser")
    page = browser.page
    assert page.url.endswith(f"/portal/{project.code}/")
    assert page.get_by_role("heading", name="Triển khai ERP Sao Mai").is_visible()
    assert "Internal estimate" not in page.content()
    assert browser.console_errors == []


def test_the_language_switch_turns_the_page_vietnamese(browser, demo_like_project):
    browser.login("bob_consultant")
    page = browser.page
    assert page.get_by_role("heading", name="Projects", exact=True).is_visible()
    page.select_option("#language-form select", "vi")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Dự án", exact=True).is_visible()
    assert page.get_by_role("button", name="Đăng xuất").is_visible()
    assert browser.console_errors == []


def test_a_sponsor_approves_a_signoff_from_the_portal(browser, demo_like_project):
    from projects import services
    from projects.models import Approval

    project, users = demo_like_project
    pm = MembershipFactory(project=project, role=Role.PM, user=UserFactory(username="alice_pm")).user
    approval = services.approval_request(
        project=project, by=pm, title="Discovery sign-off", approver=users[Role.SPONSOR]
    )
    browser.login("sam_sponsor")
    page = browser.page
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state("networkidle")
    assert Approval.objects.get(pk=approval.pk).decision == Approval.Decision.APPROVED
    assert "No sign-off waits for you." in page.content()
    assert browser.console_errors == []
