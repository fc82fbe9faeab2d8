"""A real Celery worker is killed (SIGKILL) mid-run; another worker resumes the run.

The run must end ``succeeded`` with exactly the staged records of an uninterrupted run.
The worker processes use the test database (``DATABASE_URL``) and the configured broker
(``CELERY_BROKER_URL``; kombu's filesystem transport by default).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from datamigration import services
from datamigration.models import MigrationRun, RunChunk, StagedRecord
from datamigration.tests.factories import expected_errors, obj, run_file, upload_path

ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _purge_broker():
    from erpimpl.celery import app

    with app.connection_for_write() as conn:
        for queue in ("migrations", "default"):
            with contextlib.suppress(Exception):  # the queue may not exist yet
                conn.default_channel.queue_purge(queue)


def _start_worker(name: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DATAMIGRATION_CHUNK_ROWS": "50",
        "DATAMIGRATION_CHUNK_PAUSE_MS": "150",
        "DATAMIGRATION_LEASE_SECONDS": "2",
        "DB_CONN_MAX_AGE": "0",
    }
    command = [sys.executable, "-m", "celery", "-A", "erpimpl", "worker", "-Q", "migrations,default", "-P", "solo"]
    command += ["-n", f"{name}@%h", "--without-mingle", "--without-gossip", "-l", "info"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_replaced_and_the_run_ends_like_an_uninterrupted_one(
    project, consultant, md_dir, manifest, tmp_path
):
    for name in ("uom", "tax_codes", "vendors"):
        assert run_file(project, name, md_dir / f"{name}.csv", by=consultant).status == "succeeded"
    upload = upload_path(project, "products", md_dir / "products.csv", by=consultant)
    _purge_broker()
    first = _start_worker("doomed", tmp_path / "worker1.log")
    second = None
    try:
        run = services.migration_run_start(upload=upload, by=consultant, mode="load")
        _wait(
            lambda: MigrationRun.objects.filter(pk=run.pk, processed_rows__gte=300, status="running").exists(),
            90,
            "the first worker to commit some chunks",
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        killed_at = MigrationRun.objects.get(pk=run.pk)
        assert killed_at.status == "running" and 0 < killed_at.processed_rows < 2000
        time.sleep(3)  # let the dead worker's lease (2 s) expire

        second = _start_worker("rescuer", tmp_path / "worker2.log")
        finished = _wait(
            lambda: MigrationRun.objects.filter(pk=run.pk, status__in=MigrationRun.TERMINAL).first(),
            120,
            "the second worker to finish the run",
        )
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(10)
                except subprocess.TimeoutExpired:
                    worker.kill()

    logs = (tmp_path / "worker2.log").read_text(errors="replace")
    assert finished.status == "succeeded", (finished.message, logs[-3000:])
    assert finished.deliveries == 2
    chunks = list(RunChunk.objects.filter(run=run).values_list("chunk_no", flat=True))
    assert chunks == list(range(len(chunks)))
    bad = expected_errors(manifest, "products.csv")
    assert set(finished.row_errors.values_list("row", "field", "kind")) == bad
    staged = StagedRecord.objects.filter(object=obj(project, "products"))
    assert staged.count() == 2000 - len({row for row, _, _ in bad}) == finished.inserted_rows
    assert staged.values("key").distinct().count() == staged.count()
    # an uninterrupted run of the same file finds every record already there, unchanged
    again = run_file(project, "products", md_dir / "products.csv", by=consultant, cycle="mock2")
    assert (again.inserted_rows, again.updated_rows, again.unchanged_rows) == (0, 0, staged.count())
    assert again.loaded_checksum == finished.loaded_checksum


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_running_load_is_cancelled_on_a_real_worker_and_stages_nothing(project, consultant, md_dir, tmp_path):
    for name in ("uom", "tax_codes", "vendors"):
        run_file(project, name, md_dir / f"{name}.csv", by=consultant)
    upload = upload_path(project, "products", md_dir / "products.csv", by=consultant)
    _purge_broker()
    worker = _start_worker("canceller", tmp_path / "worker.log")
    try:
        run = services.migration_run_start(upload=upload, by=consultant, mode="load")
        _wait(
            lambda: MigrationRun.objects.filter(pk=run.pk, processed_rows__gt=0, status="running").exists(),
            90,
            "the worker to start the run",
        )
        services.migration_run_cancel(run=MigrationRun.objects.get(pk=run.pk), by=consultant)
        finished = _wait(
            lambda: MigrationRun.objects.filter(pk=run.pk, status__in=MigrationRun.TERMINAL).first(),
            60,
            "the run to stop",
        )
    finally:
        worker.terminate()
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()

    assert finished.status == "cancelled"
    assert finished.processed_rows < 2000
    assert not StagedRecord.objects.filter(object=obj(project, "products")).exists()
    with connection.cursor() as cursor:
        assert finished.staging_table not in connection.introspection.table_names(cursor)
