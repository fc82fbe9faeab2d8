"""Migration runs on real Celery worker processes: killed workers, cancels, runs split across workers.

A killed worker's run must end ``succeeded`` with exactly the staged records of an
uninterrupted run. The worker processes use the test database (``DATABASE_URL``) and the
configured broker (``CELERY_BROKER_URL``: Redis in CI), with 50-row chunks and a pause
after each chunk so a run lasts long enough to be interrupted.
"""

import contextlib
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from datamigration import conf, services
from datamigration.models import MigrationRun, RunChunk, StagedRecord
from datamigration.tests.factories import (
    MasterDataObjectFactory,
    MigrationRunFactory,
    UploadFactory,
    expected_errors,
)

SLOW_CHUNKS = {
    "DATAMIGRATION_CHUNK_ROWS": "50",
    "DATAMIGRATION_CHUNK_PAUSE_MS": "150",
    "DATAMIGRATION_LEASE_SECONDS": "2",
    "DB_CONN_MAX_AGE": "0",
}


@pytest.fixture
def start_worker(celery_worker_process):
    """A solo worker process for the migrations queue, named ``name``; the broker is purged first."""
    from erpimpl.celery import app

    with app.connection_for_write() as conn:
        for queue in ("migrations", "default"):
            with contextlib.suppress(Exception):  # the queue may not exist yet
                conn.default_channel.queue_purge(queue)

    def start(name: str, **env):
        return celery_worker_process(queues="migrations,default", name=name, extra_env={**SLOW_CHUNKS, **env})

    return start


@pytest.fixture
def products_upload(project, consultant, md_dir):
    for name in ("uom", "tax_codes", "vendors"):
        assert (
            MigrationRunFactory(project=project, object_name=name, content=md_dir / f"{name}.csv", by=consultant).status
            == "succeeded"
        )
    return UploadFactory(
        project=project, object_name="products", content=md_dir / "products.csv", uploaded_by=consultant
    )


def _wait(predicate, timeout: float, what: str, worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}" + (f"\n{worker.output()[-3000:]}" if worker else ""))


def _finished(run, timeout, worker=None) -> MigrationRun:
    return _wait(
        lambda: MigrationRun.objects.filter(pk=run.pk, status__in=MigrationRun.TERMINAL).first(),
        timeout,
        "the run to end",
        worker,
    )


def _assert_like_an_uninterrupted_load(project, consultant, md_dir, manifest, finished):
    """Exactly the manifest's errors, every other row staged once, and a second load finds them unchanged."""
    bad = expected_errors(manifest, "products.csv")
    assert set(finished.row_errors.values_list("row", "field", "kind")) == bad
    assert finished.row_errors.count() == len(bad)
    staged = StagedRecord.objects.filter(object=MasterDataObjectFactory(project=project, name="products"))
    assert staged.count() == 2000 - len({row for row, _, _ in bad}) == finished.inserted_rows
    chunks = list(RunChunk.objects.filter(run=finished).values_list("chunk_no", flat=True))
    assert chunks == list(range(len(chunks)))
    assert sum(RunChunk.objects.filter(run=finished).values_list("rows", flat=True)) == 2000
    again = MigrationRunFactory(
        project=project, object_name="products", content=md_dir / "products.csv", by=consultant, cycle="mock2"
    )
    assert (again.inserted_rows, again.updated_rows, again.unchanged_rows) == (0, 0, staged.count())
    assert again.loaded_checksum == finished.loaded_checksum


def _staging_gone(run) -> bool:
    with connection.cursor() as cursor:
        return run.staging_table not in connection.introspection.table_names(cursor)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_replaced_and_the_run_ends_like_an_uninterrupted_one(
    project, consultant, md_dir, manifest, products_upload, start_worker
):
    doomed = start_worker("doomed")
    run = services.migration_run_start(upload=products_upload, by=consultant, mode="load", workers=1)
    _wait(
        lambda: MigrationRun.objects.filter(pk=run.pk, processed_rows__gte=300, status="running").exists(),
        90,
        "the first worker to commit some chunks",
        doomed,
    )
    doomed.stop(kill=True)
    killed_at = MigrationRun.objects.get(pk=run.pk)
    assert killed_at.status == "running" and 0 < killed_at.processed_rows < 2000
    lease = timedelta(seconds=int(SLOW_CHUNKS["DATAMIGRATION_LEASE_SECONDS"]))
    _wait(
        lambda: MigrationRun.objects.filter(pk=run.pk, heartbeat_at__lt=timezone.now() - lease).exists(),
        30,
        "the dead worker's lease to expire",
    )

    rescuer = start_worker("rescuer")
    finished = _finished(run, 120, rescuer)

    assert finished.status == "succeeded", (finished.message, rescuer.output()[-3000:])
    assert finished.deliveries == 2
    assert (finished.takeovers, finished.last_takeover) == (1, "lease_expired")
    _assert_like_an_uninterrupted_load(project, consultant, md_dir, manifest, finished)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_and_restarted_at_once_resumes_its_run_without_waiting_for_the_lease(
    project, consultant, md_dir, manifest, products_upload, start_worker
):
    """No beat, a ten-minute lease, the message unacknowledged until the broker's redelivery
    timeout (two hours): only the restarted worker seeing that the holder process is gone
    can resume the run."""
    long_lease = {"DATAMIGRATION_LEASE_SECONDS": "600"}
    doomed = start_worker("restarted", **long_lease)
    run = services.migration_run_start(upload=products_upload, by=consultant, mode="load", workers=1)
    _wait(
        lambda: MigrationRun.objects.filter(pk=run.pk, processed_rows__gte=300, status="running").exists(),
        90,
        "the first worker to commit some chunks",
        doomed,
    )
    held = MigrationRun.objects.get(pk=run.pk)
    assert held.holder_pid == doomed.process.pid, "the lease names the worker process"
    doomed.stop(kill=True)
    killed_at = MigrationRun.objects.get(pk=run.pk)
    assert killed_at.status == "running" and 0 < killed_at.processed_rows < 2000

    restarted = start_worker("restarted", **long_lease)
    finished = _finished(run, 120, restarted)

    assert finished.status == "succeeded", (finished.message, restarted.output()[-3000:])
    assert finished.deliveries == 2
    assert (finished.takeovers, finished.last_takeover) == (1, "holder_gone")
    assert finished.holder_pid == restarted.process.pid
    _assert_like_an_uninterrupted_load(project, consultant, md_dir, manifest, finished)


# --- one run split across several workers (PostgreSQL) ------------------------------------


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_split_across_two_workers_loads_like_one_worker(
    project, consultant, md_dir, manifest, products_upload, start_worker, api_client_for
):
    first, second = start_worker("split-a"), start_worker("split-b")
    run = services.migration_run_start(upload=products_upload, by=consultant, mode="load", workers=2)
    finished = _finished(run, 120, first)

    assert finished.status == "succeeded", (finished.message, first.output()[-3000:], second.output()[-3000:])
    assert finished.workers == 2 and finished.chunk_total == 40
    hosts = {name.split("@")[0] for name in RunChunk.objects.filter(run=run).values_list("worker", flat=True)}
    assert hosts == {"split-a", "split-b"}, "both workers committed chunks"
    assert not RunChunk.objects.filter(run=run, committed_at__isnull=True).exists()
    assert _staging_gone(finished)
    assert not conf.spool_dir().joinpath(str(run.pk)).exists()
    chunks = api_client_for(consultant).get(reverse("datamigration-api:run-detail", args=[run.pk])).json()["chunks"]
    assert (chunks["total"], chunks["committed"], chunks["committed_percent"]) == (40, 40, 100)
    assert sum(w["rows"] for w in chunks["by_worker"]) == 2000
    _assert_like_an_uninterrupted_load(project, consultant, md_dir, manifest, finished)


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_splitting_worker_is_killed_and_the_other_worker_ends_the_run_alone(
    project, consultant, md_dir, manifest, products_upload, start_worker
):
    slow_split = {"DATAMIGRATION_SPLIT_PAUSE_MS": "300", "DATAMIGRATION_CHUNK_PAUSE_MS": "50"}
    splitter = start_worker("splitter", **slow_split)
    run = services.migration_run_start(upload=products_upload, by=consultant, mode="load", workers=2)
    _wait(
        lambda: MigrationRun.objects.filter(pk=run.pk, worker__startswith="splitter@").exists(),
        60,
        "the first worker to claim the run",
        splitter,
    )
    helper = start_worker("helper", **slow_split)
    _wait(
        lambda: RunChunk.objects.filter(run=run, worker__startswith="helper@", committed_at__isnull=False).exists(),
        60,
        "the second worker to commit a chunk",
        helper,
    )
    splitting = MigrationRun.objects.get(pk=run.pk)
    assert splitting.chunk_total is None, "the file is still being split when its worker dies"
    splitter.stop(kill=True)

    finished = _finished(run, 120, helper)

    assert finished.status == "succeeded", (finished.message, helper.output()[-3000:])
    assert finished.deliveries == 2, "the helper re-enqueued the run and took it over"
    assert finished.worker.startswith("helper@")
    _assert_like_an_uninterrupted_load(project, consultant, md_dir, manifest, finished)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=pytest.mark.postgres)])
def test_a_running_load_is_cancelled_on_every_worker_and_stages_nothing(
    project, consultant, products_upload, start_worker, workers
):
    first = start_worker("cancel-a")
    if workers > 1:
        start_worker("cancel-b")
    run = services.migration_run_start(upload=products_upload, by=consultant, mode="load", workers=workers)
    _wait(
        lambda: RunChunk.objects.filter(run=run, committed_at__isnull=False).count() >= 4,
        90,
        "the workers to commit chunks",
        first,
    )
    services.migration_run_cancel(run=MigrationRun.objects.get(pk=run.pk), by=consultant)
    finished = _finished(run, 60, first)

    assert finished.status == "cancelled"
    assert finished.processed_rows < 2000
    assert not StagedRecord.objects.filter(object=MasterDataObjectFactory(project=project, name="products")).exists()
    assert _staging_gone(finished)
    assert not conf.spool_dir().joinpath(str(run.pk)).exists()
