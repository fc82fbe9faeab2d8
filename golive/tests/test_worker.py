"""Readiness runs on real Celery worker processes (PostgreSQL and Redis, as in CI).

A run requested through the service is picked up from the ``readiness`` queue; a worker killed
in the middle of a run is replaced, and the run ends once with one result per criterion; a
message delivered twice does nothing the second time.
"""

import contextlib
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from golive import services
from golive.models import ReadinessResult, ReadinessRun

SLOW = {"READINESS_PAUSE_MS": "700", "READINESS_LEASE_SECONDS": "2", "DB_CONN_MAX_AGE": "0"}

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def start_worker(celery_worker_process):
    from erpimpl.celery import app

    with app.connection_for_write() as conn:
        for queue in ("readiness", "default"):
            with contextlib.suppress(Exception):  # the queue may not exist yet
                conn.default_channel.queue_purge(queue)

    def start(name: str, **env):
        return celery_worker_process(queues="readiness,default", name=name, extra_env={**SLOW, **env})

    return start


def _wait(predicate, seconds, what, worker=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds}s for {what}\n{worker.output()[-3000:] if worker else ''}")


def _assert_one_result_per_criterion(run):
    codes = list(ReadinessResult.objects.filter(run=run).values_list("code", flat=True))
    expected = list(run.project.readiness_criteria.filter(active=True).values_list("code", flat=True))
    assert sorted(codes) == sorted(expected)
    assert len(codes) == len(set(codes))


def test_a_readiness_run_is_checked_by_a_worker(project, pm, start_worker):
    worker = start_worker("checker", READINESS_PAUSE_MS="0")
    run = services.readiness_run_request(project=project, by=pm)
    _wait(lambda: ReadinessRun.objects.get(pk=run.pk).status == "succeeded", 60, "the run to finish", worker)
    finished = ReadinessRun.objects.get(pk=run.pk)
    assert finished.criteria_done == finished.criteria_total == 17
    assert finished.recommendation in ("go", "no_go") and finished.score is not None
    assert finished.query_count and finished.duration_ms is not None
    _assert_one_result_per_criterion(finished)


def test_a_killed_worker_is_replaced_and_the_run_ends_once(project, pm, start_worker):
    doomed = start_worker("doomed")
    run = services.readiness_run_request(project=project, by=pm)
    _wait(
        lambda: ReadinessRun.objects.filter(pk=run.pk, status="running", criteria_done__gte=3).exists(),
        60,
        "the first worker to record some criteria",
        doomed,
    )
    doomed.stop(kill=True)
    killed_at = ReadinessRun.objects.get(pk=run.pk)
    assert killed_at.status == "running" and 3 <= killed_at.criteria_done < killed_at.criteria_total
    _wait(
        lambda: ReadinessRun.objects.filter(pk=run.pk, lease_until__lt=timezone.now() - timedelta(seconds=1)).exists(),
        30,
        "the dead worker's lease to expire",
    )
    rescuer = start_worker("rescuer", READINESS_PAUSE_MS="0")  # re-enqueues the run when it starts
    _wait(lambda: ReadinessRun.objects.get(pk=run.pk).status == "succeeded", 60, "the run to finish", rescuer)
    finished = ReadinessRun.objects.get(pk=run.pk)
    assert finished.criteria_done == finished.criteria_total
    assert "rescuer" in finished.worker
    _assert_one_result_per_criterion(finished)


def test_a_message_delivered_twice_runs_the_check_once(project, pm, start_worker):
    from golive.tasks import readiness_run_task

    worker = start_worker("twice", READINESS_PAUSE_MS="0")
    run = services.readiness_run_request(project=project, by=pm)
    readiness_run_task.delay(run.pk)  # a redelivery of the same run
    _wait(lambda: ReadinessRun.objects.get(pk=run.pk).status == "succeeded", 60, "the run to finish", worker)
    time.sleep(1)  # the second message has been taken too (solo pool: one after the other)
    _wait(lambda: "skipped" in worker.output(), 30, "the second delivery to be skipped", worker)
    _assert_one_result_per_criterion(ReadinessRun.objects.get(pk=run.pk))
