"""The claim a worker holds on a run: its token, heartbeat, cancel checks and the run's end.

Every write of a worker is conditional on its token (``MigrationRun.worker``): a worker
that lost the run (another claimed it after the lease expired) cannot write. ``guarded``
turns how a driver's work ended into the run's terminal state, if this worker still may.
"""

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, connections
from django.utils import timezone

from datamigration import readers
from datamigration.engine import spool
from datamigration.engine.staging import is_postgres, stage_drop
from datamigration.models import MigrationRun

log = logging.getLogger(__name__)

INTERNAL_ERROR = "The run stopped on an unexpected error: {error}"


class LeaseLost(Exception):
    """Another worker took the run over; this one stops without writing."""


class RunCancelled(Exception):
    pass


@dataclass
class Lease:
    """The claim token a worker writes under; the worker that finalises a split run swaps it."""

    token: str


def check_cancel(run: MigrationRun) -> None:
    """Raise ``RunCancelled`` if a user asked to stop the run (checked before every chunk)."""
    if MigrationRun.objects.filter(pk=run.pk, cancel_requested=True).exists():
        raise RunCancelled


def touch(run: MigrationRun, token: str) -> None:
    """Renew the run's heartbeat; ``LeaseLost`` if ``token`` no longer holds it."""
    if not MigrationRun.objects.filter(pk=run.pk, worker=token, status=MigrationRun.Status.RUNNING).update(
        heartbeat_at=timezone.now()
    ):
        raise LeaseLost


def guarded(run: MigrationRun, lease: Lease, body):
    """Call ``body`` and turn its outcome into the run's terminal state (if this worker may).

    Returns what ``body`` returned, or ``None`` when it ended on an exception.
    """
    try:
        return body()
    except LeaseLost:
        log.warning("run %s: another worker holds the run now; this one stops", run.pk)
    except RunCancelled:
        finish(run, lease.token, MigrationRun.Status.CANCELLED, "")
    except readers.FileRejected as exc:
        finish(run, lease.token, MigrationRun.Status.FAILED, exc.message)
    except spool.SpoolUnreadable as exc:
        finish(run, lease.token, MigrationRun.Status.FAILED, exc.message)
    except Exception as exc:
        if MigrationRun.objects.filter(pk=run.pk, status__in=MigrationRun.TERMINAL).exists():
            # Another worker of a split run ended it (e.g. cancelled, dropping the staging table
            # under this worker's last write): nothing to record.
            log.info("run %s ended meanwhile; this worker stops (%s)", run.pk, exc)
        else:
            log.exception("run %s failed", run.pk)
            finish(run, lease.token, MigrationRun.Status.FAILED, INTERNAL_ERROR.format(error=exc)[:2000])
    return None


def finish(run: MigrationRun, token: str, status: str, message: str) -> None:
    """End the run with ``status`` while ``token`` holds it, and drop its staging area."""
    updated = MigrationRun.objects.filter(pk=run.pk, worker=token, status=MigrationRun.Status.RUNNING).update(
        status=status, message=message, finished_at=timezone.now()
    )
    if updated:
        stage_drop(run)


@contextmanager
def heartbeat(run_id: int, token: str, *, enabled: bool | None = None):
    """Write the run's ``heartbeat_at`` every second while the block runs (PostgreSQL workers).

    Some steps write no progress for a while: opening the file and loading the reference
    sets before the first chunk commits, the final SQL of a large load. The heartbeat keeps
    the run's row fresh meanwhile, so the page never looks stalled for more than ~1 s and the
    lease holds. ``enabled`` defaults to "on PostgreSQL, outside any transaction" (a worker,
    not a test's transaction).
    """
    if enabled is None:
        enabled = is_postgres() and not connection.in_atomic_block
    if not enabled:
        yield
        return
    beat = Heartbeat(run_id, token)
    beat.start()
    try:
        yield
    finally:
        beat.stop()


class Heartbeat:
    """Writes the run's ``heartbeat_at`` every second from its own connection."""

    def __init__(self, run_id: int, token: str, interval: float = 1.0):
        self.run_id, self.token, self.interval = run_id, token, interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="run-heartbeat", daemon=True)

    def _beat(self):
        try:
            while not self.stopped.wait(self.interval):
                MigrationRun.objects.filter(
                    pk=self.run_id, worker=self.token, status=MigrationRun.Status.RUNNING
                ).update(heartbeat_at=timezone.now())
        finally:
            connections.close_all()

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopped.set()
        self.thread.join()
