"""The development board in a real browser: drag a card, click a move button, no console errors."""

import pytest

from phases.development.models import DevelopmentItem
from phases.development.tests.factories import DevelopmentItemFactory

S = DevelopmentItem.Status


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_moving_cards_on_the_board(browser, project, consultant):
    dragged = DevelopmentItemFactory(project=project, title="Báo cáo tồn kho theo lô", assignee=consultant)
    clicked = DevelopmentItemFactory(project=project, title="Mẫu in hóa đơn VAT", status=S.IN_DEVELOPMENT)
    browser.login(consultant.username)
    browser.goto(f"/projects/{project.code}/development/")
    page = browser.page
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    card = page.locator(f"#item-{dragged.pk}")
    target = page.locator('.dev-column[data-status="in_development"] .dev-dropzone')
    card.drag_to(target)
    page.wait_for_selector("#board-message")
    assert "moved to “In development”" in page.inner_text("#board-message")
    assert page.locator(f'.dev-column[data-status="in_development"] #item-{dragged.pk}').count() == 1
    dragged.refresh_from_db()
    assert dragged.status == S.IN_DEVELOPMENT

    page.locator(f"#item-{clicked.pk} button[value=dev_tested]").click()
    page.wait_for_selector(f'.dev-column[data-status="dev_tested"] #item-{clicked.pk}')
    clicked.refresh_from_db()
    assert clicked.status == S.DEV_TESTED

    # A column the card may not move to refuses the drop: nothing is sent, nothing changes.
    sent = len(posts)
    page.locator(f"#item-{clicked.pk}").drag_to(page.locator('.dev-column[data-status="designed"] .dev-dropzone'))
    assert len(posts) == sent == 2
    clicked.refresh_from_db()
    assert clicked.status == S.DEV_TESTED
    assert browser.console_errors == []
