"""Go-live in a real browser (issue 12): the consultant starts a readiness check and watches a
real worker finish it, then follows a failing criterion's evidence to the offending defect; the
consultant runs a rehearsal task on the live board; the sponsor records GO from the portal.

Each test builds its state through the services (or their factories) and then only clicks,
as the people would. The htmx parts are the point: the run's progress is polled until the
page shows the result by itself, and the board's buttons move the tasks.
"""

import contextlib

import pytest
from django.utils import timezone

from golive.models import CutoverRun, GoNoGoDecision
from golive.services.decisions import decision_create
from golive.tests.factories_cutover import CutoverTaskFactory
from golive.tests.factories_decisions import BLOCKED, finished_run
from projects.models import Approval
from testing.models import Defect
from testing.tests.factories import DefectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: A short pause after each criterion, so that the run is seen running before it ends.
PACED = {"READINESS_PAUSE_MS": "300", "DB_CONN_MAX_AGE": "0"}
WAIT = 30_000


def _purge_queues():
    """Drop messages a previous session left on this broker (a run that no longer exists)."""
    from erpimpl.celery import app

    with app.connection_for_write() as conn:
        for queue in ("readiness", "default"):
            with contextlib.suppress(Exception):  # the queue may not exist yet
                conn.default_channel.queue_purge(queue)


@pytest.mark.worker
@pytest.mark.redis
def test_consultant_watches_a_readiness_check_finish_and_opens_the_evidence(
    browser, project, consultant, celery_worker_process
):
    defect = DefectFactory(project=project, severity=Defect.Severity.CRITICAL, title="Posting period not open")
    _purge_queues()
    celery_worker_process(queues="readiness,default", name="readiness-browser", extra_env=PACED)
    page = browser.page

    browser.login(consultant.username)
    browser.goto(f"/projects/{project.code}/golive/")
    assert page.locator("#no-run").is_visible()
    page.get_by_role("button", name="Run readiness check").click()

    progress = page.locator("[id^='readiness-progress-']")
    assert progress.get_attribute("data-status") in ("queued", "running")
    assert "of 17 criteria checked" in progress.inner_text()
    # The worker records criteria one by one; htmx polls and the page follows, then reloads itself.
    page.wait_for_selector("[id^='readiness-progress-'][data-status='running']", timeout=WAIT)
    page.wait_for_selector("[id^='readiness-progress-'][data-status='succeeded']", timeout=WAIT)
    page.wait_for_selector("#result-RD-05", timeout=WAIT)
    assert "17 of 17 criteria checked" in progress.inner_text()
    assert "Fail" in page.locator("#result-RD-05").inner_text()

    page.locator("#result-RD-05 .evidence a", has_text=defect.code).click()
    page.wait_for_url(f"**/projects/{project.code}/testing/defects/{defect.pk}/")
    assert "Posting period not open" in page.locator("body").inner_text()
    assert browser.console_errors == []


def test_consultant_runs_a_rehearsal_task_on_the_board(browser, project, pm, consultant):
    first = CutoverTaskFactory(project=project, by=pm, title="Freeze legacy postings", stream="Finance")
    second = CutoverTaskFactory(project=project, by=pm, title="Load opening balances", predecessors=[first])
    CutoverTaskFactory(project=project, by=pm, title="Reconcile balances", predecessors=[second])
    page = browser.page

    browser.login(consultant.username)
    browser.goto(f"/projects/{project.code}/golive/cutover/")
    page.select_option("#run-start select[name=kind]", CutoverRun.Kind.REHEARSAL)
    page.locator("#run-start").get_by_role("button", name="Start run").click()
    run = CutoverRun.objects.get(project=project)
    page.wait_for_url(f"**/golive/cutover/runs/{run.pk}/")

    row_1, row_2 = (f"#run-task-{run.tasks.get(code=code).pk}" for code in ("CT-001", "CT-002"))
    state_1, state_2 = (page.locator(f"{row} td").nth(3) for row in (row_1, row_2))
    assert state_1.inner_text() == "Ready" and state_2.inner_text() == "Not ready"
    page.locator(row_1).get_by_role("button", name="Start").click()  # htmx: the board's body comes back
    page.wait_for_selector(f"{row_1} td:nth-child(4):text-is('In progress')", timeout=WAIT)
    page.locator(row_1).get_by_role("button", name="Finish").click()  # the board again, refreshed
    page.wait_for_selector(f"{row_1} td:nth-child(4):text-is('Complete')", timeout=WAIT)
    assert state_2.inner_text() == "Ready"
    assert page.locator(row_2).get_by_role("button", name="Start").is_visible()
    assert browser.console_errors == []


def test_sponsor_records_go_with_an_override_reason_from_the_portal(browser, project, pm, sponsor):
    run = finished_run(project, results=BLOCKED)  # a failed blocking criterion: GO needs a reason
    decision = decision_create(project=project, by=pm, meeting_at=timezone.now(), readiness_run=run)
    page = browser.page

    browser.login(sponsor.username)
    browser.goto(f"/portal/{project.code}/golive/decisions/")
    page.locator("#waiting a").first.click()
    page.wait_for_url(f"**/portal/{project.code}/golive/decisions/{decision.pk}/")
    assert "Open critical defects" in page.locator("#snapshot-results").inner_text()
    assert "Firm margin check" not in page.content()  # the firm's internal blocker stays hidden

    form = page.locator("#decide-form")
    form.get_by_role("radio", name="GO", exact=True).check()
    form.get_by_role("button", name="Record decision").click()
    assert "a GO needs an override reason" in page.locator("#decide-form").inner_text()

    form.get_by_role("radio", name="GO", exact=True).check()
    form.get_by_label("Override reason").fill("Defect fix ships in the go-live transport.")
    form.get_by_role("button", name="Record decision").click()
    page.wait_for_selector("#override-reason", timeout=WAIT)
    signoffs = page.locator("#signoffs").inner_text()
    assert "Sponsor: Approved" in signoffs and sponsor.get_full_name() in signoffs
    assert "Defect fix ships in the go-live transport." in page.locator("#override-reason").inner_text()
    decision.refresh_from_db()
    assert decision.sponsor_signoff.decision == Approval.Decision.APPROVED
    assert decision.outcome == GoNoGoDecision.Outcome.PENDING  # the PM has yet to answer
    assert browser.console_errors == []
