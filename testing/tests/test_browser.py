"""The UAT flow in a real browser: a key user runs an assigned case in the portal, the sponsor signs off."""

import pytest

from projects.roles import Role
from projects.tests.factories import MembershipFactory, ProjectFactory, UserFactory
from testing import services
from testing.models import Cycle, Defect, Execution
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def uat_project():
    project = ProjectFactory(code="UAT-1", name="Triển khai ERP Sao Mai")
    users = {
        role: MembershipFactory(project=project, role=role, user=UserFactory(username=name)).user
        for role, name in [(Role.PM, "alice_pm"), (Role.KEY_USER, "kim_keyuser"), (Role.SPONSOR, "sam_sponsor")]
    }
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT, name="UAT vòng 1")
    cc = CycleCaseFactory(
        cycle=cycle,
        case=CaseFactory(project=project, steps=2, title="Lập hoá đơn bán hàng"),
        assignee=users[Role.KEY_USER],
    )
    return project, users, cc


def test_key_user_executes_step_by_step_and_sponsor_signs_off(browser, uat_project):
    project, users, cc = uat_project
    page = browser.page
    browser.login("kim_keyuser")
    browser.goto(f"/portal/{project.code}/testing/")
    page.get_by_role("button", name="Start").click()
    page.wait_for_selector("#steps")
    # step 1 passes (htmx swaps the row in place)
    page.select_option("#step-1 select[name=status]", "passed")
    page.click("#step-1 button[type=submit]")
    page.wait_for_selector("#step-1.table-success")
    # step 2 fails; raise a defect from it
    page.select_option("#step-2 select[name=status]", "failed")
    page.fill("#step-2 textarea[name=actual_result]", "Thuế suất hiển thị 8% thay vì 10%")
    page.click("#step-2 button[type=submit]")
    page.wait_for_selector("#step-2.table-danger")
    page.click("#step-2 details summary")
    page.fill("#step-2 input[name=title]", "Sai thuế suất VAT")
    page.select_option("#step-2 select[name=severity]", "critical")
    page.click("#step-2 .defect-from-step button")
    page.wait_for_selector("#run-defects li >> text=Sai thuế suất VAT")
    page.click("#finish-form button")
    page.wait_for_selector("#execution-result >> text=Failed")
    assert Execution.objects.get().status == "failed"
    assert Defect.objects.get().severity == "critical"
    assert browser.console_errors == []

    services.cycle_signoff_request(cycle=cc.cycle, by=users[Role.PM], approver=users[Role.SPONSOR])
    page.context.clear_cookies()
    browser.login("sam_sponsor")
    browser.goto(f"/portal/{project.code}/testing/cycles/{cc.cycle.pk}/signoff/")
    assert page.locator("#open-defects").get_by_text("Sai thuế suất VAT").is_visible()
    page.wait_for_function(
        "() => document.querySelector('#cycle-progress-chart').width > 0"
        " && document.querySelector('#cycle-defect-chart').width > 0"
    )
    page.check("#signoff-form input[value=approved]")
    page.click("#signoff-form button[type=submit]")
    assert page.locator("#signoff-form").get_by_text("critical defect(s) are still open").is_visible()
    page.check("#signoff-form input[value=approved]")
    page.check("#signoff-form input[name=override]")
    page.fill("#signoff-form textarea[name=override_reason]", "Có phương án xử lý tạm thời")
    page.click("#signoff-form button[type=submit]")
    page.wait_for_selector("#signoff-decision >> text=Approved")
    assert Cycle.objects.get(pk=cc.cycle_id).is_signed_off
    assert browser.console_errors == []
