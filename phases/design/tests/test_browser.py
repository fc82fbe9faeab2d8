"""The BPMN diagram renders in a real browser (bpmn-js from npm), and the sponsor signs off
from the portal. Runs on Debian's chromium through Playwright."""

import pytest
from django.urls import reverse

from phases.design import services
from phases.design.models import DesignStatus, ProcessDesign
from phases.design.tests.factories import RequirementFactory, UploadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def design_in_review(project, consultant):
    design = services.process_design_create(
        project=project,
        by=consultant,
        business_area="procurement",
        name="Procure to pay",
        to_be="Requisition, approval, purchase order, goods receipt, 3-way match, payment.",
        requirements=[RequirementFactory(project=project)],
        steps=[{"title": "Create purchase requisition", "actor": "Requester"}],
        bpmn_file=UploadFactory(),
    )
    return services.process_design_submit(design=design, by=consultant)


def _wait_for_diagram(page):
    page.wait_for_selector(".bpmn-canvas[data-bpmn-rendered]", timeout=15000)
    canvas = page.locator(".bpmn-canvas").first
    assert canvas.get_attribute("data-bpmn-rendered") == "true"
    assert canvas.locator("svg").count() >= 1
    # The shapes of the diagram are drawn: one element per task of the process.
    assert canvas.locator('[data-element-id="Task_PO"]').count() == 1
    assert "Create purchase order" in canvas.inner_text()


def test_the_bpmn_diagram_renders_on_the_design_page_without_console_errors(browser, design_in_review, consultant):
    browser.login(consultant.username)
    browser.goto(reverse("design:design_detail", args=[design_in_review.project.code, design_in_review.pk]))
    _wait_for_diagram(browser.page)
    assert browser.console_errors == []


def test_the_sponsor_signs_off_from_the_portal(browser, design_in_review, sponsor):
    browser.login(sponsor.username)
    browser.goto(reverse("design-portal:signoff_list", args=[design_in_review.project.code]))
    _wait_for_diagram(browser.page)
    browser.page.fill(f"#design-{design_in_review.pk} textarea[name=comment]", "Đồng ý.")
    browser.page.click(f"#design-{design_in_review.pk} button[value=approved]")
    browser.page.wait_for_selector("#no-designs-in-review")
    assert browser.console_errors == []
    assert ProcessDesign.objects.get(pk=design_in_review.pk).status == DesignStatus.APPROVED
