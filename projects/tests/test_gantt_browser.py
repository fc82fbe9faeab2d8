"""The plan's Gantt chart in a real browser: in the page's language, and task names shown as text."""

import pytest

from projects.roles import Role
from projects.tests.factories import MembershipFactory, ProjectFactory, TaskFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_gantt_chart_speaks_vietnamese_and_shows_names_as_text(browser):
    project = ProjectFactory(code="GANTT-1")
    MembershipFactory(project=project, role=Role.CONSULTANT, user=UserFactory(username="bob_consultant"))
    task = TaskFactory(project=project, title='Nhập tồn kho <img src=x onerror="window.injected=1">', progress=40)
    browser.login("bob_consultant")
    page = browser.page
    with page.expect_navigation():
        page.select_option("#language-form select", "vi")
    browser.goto(f"/projects/{project.code}/plan/")
    page.wait_for_selector("#gantt svg .bar-label")
    assert page.locator("#gantt .today-button").inner_text() == "Hôm nay"
    header = page.locator("#gantt .upper-header").inner_text()
    assert "Tháng 3" in header and "March" not in header
    bar = page.locator(f'#gantt .bar-wrapper[data-id="{task.pk}"]')
    assert bar.locator(".bar-label").text_content() == 'Nhập tồn kho <img src=x onerror="window.injected=1">'
    bar.locator(".bar").hover()
    page.wait_for_selector("#gantt .popup-wrapper .details")
    details = page.locator("#gantt .popup-wrapper .details").inner_text()
    assert "ngày" in details and "Tiến độ: 40%" in details
    assert page.evaluate("window.injected") is None
    assert browser.console_errors == []
