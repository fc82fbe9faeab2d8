"""The whole loop in a real browser: a key user uploads and validates from the portal, the
progress bar follows the run, the errors show; a consultant then loads from the dashboard."""

import pytest

from datamigration.models import MigrationRun
from datamigration.tests.factories import csv_bytes, execute
from projects.roles import Role
from projects.tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team():
    project = ProjectFactory(code="MD-1", name="Dữ liệu gốc")
    for role, username in [(Role.CONSULTANT, "bob_consultant"), (Role.KEY_USER, "kim_keyuser")]:
        MembershipFactory(project=project, role=role, user=UserFactory(username=username))
    return project


def _wait_for_run(page, status):
    page.wait_for_selector(f"#run-progress[data-status='{status}']", timeout=20_000)


def test_key_user_validates_from_the_portal_and_consultant_loads(browser, team, tmp_path):
    project = team
    path = tmp_path / "don-vi.csv"
    path.write_bytes(csv_bytes([["Mã", "Tên"], ["PCS", "Cái"], ["", "Hộp"], ["KG", "Kilôgam"]]))
    page = browser.page

    browser.login("kim_keyuser")
    browser.goto(f"/portal/{project.code}/datamigration/")
    page.locator("#object-table tr", has_text="Units of measure").get_by_role("link", name="Upload").click()
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form button[type=submit]")
    page.select_option("#mapping-form select >> nth=0", "code")
    page.select_option("#mapping-form select >> nth=1", "name")
    page.click("#mapping-form button[type=submit]")
    assert page.locator("#id_mode option").all_inner_texts() == ["Validate only"]
    page.click("#run-form button[type=submit]")
    _wait_for_run(page, "queued")
    execute(MigrationRun.objects.get(project=project))  # what the worker does
    page.wait_for_selector("#error-table td:has-text('This field is required.')", timeout=20_000)
    assert page.locator("#valid-rows").inner_text() == "2"
    assert browser.console_errors == []

    page.context.clear_cookies()
    browser.login("bob_consultant")
    browser.goto(f"/projects/{project.code}/datamigration/")
    page.get_by_role("link", name="Units of measure").click()
    page.locator("text=don-vi.csv").first.click()
    page.select_option("#id_mode", "load")
    page.fill("#id_cycle", "mock2")
    page.click("#run-form button[type=submit]")
    run = MigrationRun.objects.get(project=project, mode="load")
    execute(run)
    _wait_for_run(page, "succeeded")
    browser.goto(f"/projects/{project.code}/datamigration/objects/uom/records/")
    assert page.locator("#record-table tbody tr").count() == 2
    browser.goto(f"/projects/{project.code}/datamigration/reconciliation/")
    page.wait_for_function("() => document.querySelector('#reconciliation-chart').width > 0")
    assert browser.console_errors == []


@pytest.mark.worker
@pytest.mark.postgres
def test_consultant_loads_a_file_split_across_two_real_workers(browser, team, md_dir, manifest, celery_worker_process):
    from datamigration.tests.factories import MigrationRunFactory, expected_errors
    from datamigration.tests.test_worker import SLOW_CHUNKS

    project = team
    bob = project.memberships.get(role=Role.CONSULTANT).user
    for name in ("uom", "tax_codes", "vendors"):
        MigrationRunFactory(project=project, object_name=name, content=md_dir / f"{name}.csv", by=bob)
    for name in ("split-a", "split-b"):
        celery_worker_process(queues="migrations,default", name=name, extra_env=SLOW_CHUNKS)
    page = browser.page

    browser.login("bob_consultant")
    browser.goto(f"/projects/{project.code}/datamigration/objects/products/upload/")
    page.set_input_files("#id_file", str(md_dir / "products.csv"))
    page.click("#upload-form button[type=submit]")
    page.select_option("#id_mode", "load")
    page.fill("#id_workers", "2")
    page.click("#run-form button[type=submit]")
    page.wait_for_selector("#run-chunks:has-text('Split across up to 2 workers')", timeout=30_000)
    _wait_for_run(page, "succeeded")

    run = MigrationRun.objects.get(project=project, object__name="products")
    workers = page.locator("#run-chunks li").all_inner_texts()
    assert len(workers) == 2 and all("split-" in w for w in workers)
    assert run.workers == 2 and run.error_rows == len({r for r, _, _ in expected_errors(manifest, "products.csv")})
    assert page.locator("#valid-rows").inner_text() == str(run.valid_rows)
    assert browser.console_errors == []
