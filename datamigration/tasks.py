"""Celery tasks of the datamigration app: thin, take ids, claim, call a service.

Tasks go to the ``migrations`` queue. Run a worker for it with::

    celery -A erpimpl worker -Q migrations,default -c 2 --prefetch-multiplier 1

A worker that starts re-enqueues runs whose worker died (``migration_runs_reconcile``):
at once when the process holding the run's lease ran on the same machine and is gone (a
worker killed and restarted), else once the lease expired; beat does the same every
minute. A run interrupted by a killed worker is resumed from its last committed chunk.
"""

import logging

from celery import shared_task
from celery.signals import worker_ready

log = logging.getLogger(__name__)

QUEUE = "migrations"


# A run's work survives a killed worker (acks late, redelivered) and may last hours.
RUN_TASK = {
    "bind": True,
    "queue": QUEUE,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "time_limit": 6 * 60 * 60,
    "soft_time_limit": None,
    "ignore_result": True,
}


@shared_task(**RUN_TASK)
def migration_run_execute_task(self, run_id: int) -> str:
    from datamigration.services import runs

    run, token = runs.migration_run_claim(run_id=run_id, worker=self.request.hostname or "worker")
    if run is None:
        wait = runs.migration_run_recheck_seconds(run_id=run_id)
        if wait is not None:
            # Another worker holds the lease, or held it and is gone (a prefork child killed and
            # its message redelivered at once, a worker restarted): look again when it can be
            # taken over — seconds for a gone holder of this machine, else when the lease expires.
            self.apply_async(args=[run_id], countdown=wait)
            return "watching"
        log.info("migration run %s already finished; nothing to do", run_id)
        return "skipped"
    try:
        run = runs.migration_run_execute(run=run, token=token)
    except BaseException as exc:  # the engine records its own failures; this is a last resort
        runs.migration_run_mark_failed(run_id=run_id, error=str(exc) or type(exc).__name__)
        raise
    return run.status


@shared_task(**RUN_TASK)
def migration_run_help_task(self, run_id: int, token: str) -> str:
    """Take chunks of a run split across workers (enqueued when the worker splitting it asks for helpers)."""
    from datamigration.services import runs

    run = runs.migration_run_help(run_id=run_id, token=token)
    return run.status if run is not None else "gone"


@shared_task(queue=QUEUE, ignore_result=True)
def migration_runs_reconcile_task() -> list[int]:
    from datamigration.services import runs

    return runs.migration_runs_reconcile()


@worker_ready.connect
def _reconcile_on_start(sender=None, **kwargs):
    try:
        from datamigration.services import runs

        ids = runs.migration_runs_reconcile()
        if ids:
            log.info("re-enqueued interrupted migration runs: %s", ids)
    except Exception:  # a worker must start even if the database is not reachable yet
        log.exception("could not reconcile migration runs at start-up")
