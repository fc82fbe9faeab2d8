"""Celery tasks of the go-live app: thin, take ids, claim, call a service.

Readiness runs go to the ``readiness`` queue::

    celery -A erpimpl worker -Q readiness,migrations,default -c 2 --prefetch-multiplier 1

A run is short (seconds) and idempotent: a redelivered message finds it claimed or finished
and does nothing; a killed worker's run is re-enqueued by ``readiness_runs_reconcile`` (when a
worker starts, and every minute from beat) once its lease expires, and goes on from the
criteria it had not recorded.
"""

import logging

from celery import shared_task
from celery.signals import worker_ready

log = logging.getLogger(__name__)

QUEUE = "readiness"


@shared_task(bind=True, queue=QUEUE, acks_late=True, reject_on_worker_lost=True, ignore_result=True, time_limit=600)
def readiness_run_task(self, run_id: int) -> str:
    from golive import services

    run, token = services.readiness_run_claim(run_id=run_id, worker=self.request.hostname or "worker")
    if run is None:
        return "skipped"
    try:
        run = services.readiness_run_execute(run=run, token=token)
    except BaseException as exc:
        services.readiness_run_mark_failed(run_id=run_id, error=str(exc) or type(exc).__name__)
        raise
    return run.status


@shared_task(queue=QUEUE, ignore_result=True)
def readiness_runs_reconcile_task() -> list[int]:
    from golive import services

    return services.readiness_runs_reconcile()


@shared_task(queue=QUEUE, ignore_result=True)
def readiness_runs_schedule_task() -> list[int]:
    from golive import services

    return services.readiness_runs_schedule()


@worker_ready.connect
def _reconcile_on_start(sender=None, **kwargs):
    try:
        from golive import services

        services.readiness_runs_reconcile()
    except Exception:  # a worker starts even when the database is not there yet
        log.exception("could not reconcile readiness runs at start")
