"""Who holds a run: a holder process that is gone is replaced in seconds, a live one never.

The lease records the holder's machine, pid and process start time (``engine.holder``).
These tests use real processes (a child that has exited, one that sleeps) as holders; the
end-to-end case, a real worker killed and restarted at once, is in ``test_worker.py``.
"""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from datamigration import services, tasks
from datamigration.engine import holder
from datamigration.models import MigrationRun
from datamigration.tests.factories import UploadFactory, csv_bytes

pytestmark = pytest.mark.django_db

S = MigrationRun.Status
UOM = csv_bytes([["code", "name"], ["PCS", "Cái"], ["KG", "Ki-lô-gam"]])


@pytest.fixture
def held_run(project, consultant, settings):
    """A load claimed by a first worker, whose lease (60 s) has not expired."""
    settings.DATAMIGRATION_LEASE_SECONDS = 60
    upload = UploadFactory(project=project, object_name="uom", content=UOM, uploaded_by=consultant)
    run = services.migration_run_start(upload=upload, by=consultant, mode="load")
    claimed, _ = services.migration_run_claim(run_id=run.pk, worker="first@host")
    assert claimed is not None
    return claimed


@pytest.fixture
def sleeper():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


def _exited_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _held_by(run, *, host=None, pid, started="", silent_for: float = 0):
    MigrationRun.objects.filter(pk=run.pk).update(
        holder_host=holder.host_id() if host is None else host,
        holder_pid=pid,
        holder_started=started,
        heartbeat_at=timezone.now() - timedelta(seconds=silent_for),
    )


def _claim(run, worker="second@host"):
    return services.migration_run_claim(run_id=run.pk, worker=worker)[0]


def test_a_claim_records_the_process_that_holds_the_run(held_run):
    assert held_run.holder_host == holder.host_id()
    assert held_run.holder_pid == os.getpid()
    assert held_run.holder_started == holder.current().started
    assert (held_run.deliveries, held_run.takeovers, held_run.last_takeover) == (1, 0, "")


def test_a_run_whose_holder_process_is_gone_is_taken_over_without_waiting_for_the_lease(held_run):
    _held_by(held_run, pid=_exited_pid(), silent_for=0)
    assert _claim(held_run) is None, "its heartbeat only just stopped: a few seconds' grace"
    assert 1 <= services.migration_run_recheck_seconds(run_id=held_run.pk) <= holder.SILENCE_SECONDS

    _held_by(held_run, pid=_exited_pid(), silent_for=holder.SILENCE_SECONDS + 1)  # still well within the lease
    taken = _claim(held_run)

    assert taken is not None
    assert taken.worker.startswith("second@host:")
    assert (taken.deliveries, taken.takeovers, taken.last_takeover) == (2, 1, "holder_gone")
    assert taken.holder_pid == os.getpid(), "the new holder is recorded"


def test_a_reused_pid_is_not_mistaken_for_the_holder(held_run, sleeper):
    """A live process with the holder's pid but another start time (a restarted container's pid 1)."""
    _held_by(held_run, pid=sleeper.pid, started="another-boot:1", silent_for=holder.SILENCE_SECONDS + 1)

    taken = _claim(held_run)

    assert taken is not None and taken.last_takeover == "holder_gone"


def test_a_live_holder_keeps_its_run_however_quiet(held_run, sleeper):
    started = holder.process_started(sleeper.pid)
    _held_by(held_run, pid=sleeper.pid, started=started, silent_for=holder.SILENCE_SECONDS + 10)

    assert _claim(held_run) is None
    assert services.migration_run_recheck_seconds(run_id=held_run.pk) == 61, "looks again when the lease expires"
    assert MigrationRun.objects.get(pk=held_run.pk).worker.startswith("first@host:")


def test_a_holder_on_another_machine_is_replaced_only_when_its_lease_expires(held_run):
    _held_by(held_run, host="another-machine pid:[1]", pid=_exited_pid(), silent_for=30)
    assert _claim(held_run) is None

    _held_by(held_run, host="another-machine pid:[1]", pid=_exited_pid(), silent_for=61)
    taken = _claim(held_run)

    assert taken is not None and (taken.takeovers, taken.last_takeover) == (1, "lease_expired")


def test_a_cancelled_run_whose_holder_is_gone_is_closed(held_run):
    MigrationRun.objects.filter(pk=held_run.pk).update(cancel_requested=True)
    _held_by(held_run, pid=_exited_pid(), silent_for=holder.SILENCE_SECONDS + 1)

    assert _claim(held_run) is None
    assert MigrationRun.objects.get(pk=held_run.pk).status == S.CANCELLED


def test_reconcile_at_start_up_requeues_the_runs_of_gone_holders_of_this_machine(
    held_run, project, consultant, monkeypatch
):
    alive = held_run
    gone = services.migration_run_start(upload=alive.upload, by=consultant, mode="validate")
    services.migration_run_claim(run_id=gone.pk, worker="first@host")
    _held_by(gone, pid=_exited_pid(), silent_for=0)
    elsewhere = services.migration_run_start(upload=alive.upload, by=consultant, mode="validate")
    services.migration_run_claim(run_id=elsewhere.pk, worker="other@host")
    _held_by(elsewhere, host="another-machine pid:[1]", pid=_exited_pid(), silent_for=0)
    queued = []
    monkeypatch.setattr(tasks.migration_run_execute_task, "delay", queued.append)

    tasks._reconcile_on_start()

    assert queued == [gone.pk], "neither the live holder's run nor another machine's"


def test_a_delivery_of_a_run_whose_holder_is_gone_resumes_it_within_seconds(held_run, monkeypatch):
    later = []
    monkeypatch.setattr(tasks.migration_run_execute_task, "apply_async", lambda **kw: later.append(kw))
    _held_by(held_run, pid=_exited_pid(), silent_for=1)

    assert tasks.migration_run_execute_task.run(held_run.pk) == "watching"
    assert later == [{"args": [held_run.pk], "countdown": holder.SILENCE_SECONDS - 1}]

    _held_by(held_run, pid=_exited_pid(), silent_for=holder.SILENCE_SECONDS + 1)
    assert tasks.migration_run_execute_task.run(held_run.pk) == S.SUCCEEDED
    finished = MigrationRun.objects.get(pk=held_run.pk)
    assert (finished.inserted_rows, finished.deliveries, finished.takeovers) == (2, 2, 1)


def test_the_run_page_and_resource_say_the_run_was_taken_over(held_run, key_user, client, api_client_for):
    _held_by(held_run, pid=_exited_pid(), silent_for=holder.SILENCE_SECONDS + 1)
    _claim(held_run)
    client.force_login(key_user)

    page = client.get(reverse("datamigration:run_detail", args=[held_run.project.code, held_run.pk]))
    resource = api_client_for(key_user).get(reverse("datamigration-api:run-detail", args=[held_run.pk])).json()

    assert "Resumed by another worker once (its worker process had stopped)." in page.content.decode()
    assert (resource["deliveries"], resource["takeovers"], resource["last_takeover"]) == (2, 1, "holder_gone")
