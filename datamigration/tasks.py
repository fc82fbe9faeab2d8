"""Celery tasks of the datamigration app: thin, take ids, claim, call a service.

Tasks go to the ``migrations`` queue. Run a worker for it with::

    celery -A erpimpl worker -Q migrations,default -c 2 --prefetch-multiplier 1

A worker that starts re-enqueues runs whose worker died (``migration_runs_reconcile``),
so a run interrupted by a killed worker is resumed from its last committed chunk.
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
    from datamigration import conf, selectors
    from datamigration.services import runs

    run, token = runs.migration_run_claim(run_id=run_id, worker=self.request.hostname or "worker")
    if run is None:
        if selectors.run_is_running(run_id=run_id):
            # Another worker holds the lease (or held it and died: a prefork child killed and
            # its message redelivered at once). Look again when the lease could have expired.
            self.apply_async(args=[run_id], countdown=conf.lease_seconds() + 1)
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
