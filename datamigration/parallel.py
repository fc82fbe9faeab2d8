"""One run split across several workers (``MigrationRun.workers > 1``, PostgreSQL).

The worker that claimed the run (the coordinator) reads the file once, in order, and writes
each chunk to the run's spool (``spool``) with a ledger row ``RunChunk(run, chunk_no)``;
once a second chunk is there it enqueues ``workers - 1`` helper tasks. The coordinator,
when the file is split, and every helper then take chunks from the ledger one at a time:

- a chunk is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` (no two workers take the
  same one), validated, and committed in one transaction, like a chunk of a run on one
  worker, only while the claim holds and the run is still held under the run's token;
- a claim older than the lease (its worker died) is taken over by any other worker;
- the worker that finds every chunk committed swaps the run's token for its own (exactly
  one wins) and finalises: duplicates across the whole file, same-object references and
  the publishing upsert, unchanged (``engine._finalize``).

If the coordinator dies while it splits, the helpers finish the chunks already spooled; the
first helper that then finds the run's heartbeat stale re-enqueues the run, and the worker
that claims it becomes the new coordinator: it resumes the split where the spool stops,
releases the dead claims and enqueues new helpers. If every worker dies, the reconciler
(beat, or a worker that starts) does the same. Committed chunks are never redone.
"""

import logging
import os
import time
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F, Q, Sum, Value
from django.utils import timezone

from datamigration import conf, readers, spool
from datamigration.engine import (
    ChunkWriter,
    Lease,
    LeaseLost,
    Plan,
    RunCancelled,
    _finalize,
    _process_chunk,
    build_plan,
    check_cancel,
    guarded,
    heartbeat,
    open_file,
    reset_progress,
    staging_intact,
)
from datamigration.models import MigrationRun, RunChunk

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2
BACKLOG_CHUNKS = 2


def applies(run: MigrationRun) -> bool:
    """Split only on PostgreSQL and outside a transaction (a worker, not a test's transaction)."""
    return run.workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block


def worker_name() -> str:
    """How a chunk's ledger row names the worker process that committed it."""
    from celery import current_task

    hostname = getattr(getattr(current_task, "request", None), "hostname", None) or os.uname().nodename
    return f"{hostname}:{os.getpid()}"


def coordinate(run: MigrationRun, lease: Lease) -> None:
    """Split the file into the spool (or resume the split), then take chunks like a helper.

    While splitting, the coordinator also takes a chunk whenever more than
    ``BACKLOG_CHUNKS`` wait unclaimed: with no helper free (one worker process), the run
    still moves at nearly the pace of a run on one worker.
    """
    with heartbeat(run.pk, lease.token):  # only the coordinator's: helpers see it stop if it dies
        chunks, plan = _open_split(run, lease.token)
        taker = _Taker(run, lease, plan)
        try:
            if chunks is not None:
                _spool(run, lease.token, chunks, taker)
            else:  # resumed after the split was done
                _call_helpers(run, lease.token)
            taker.until_done()
        finally:
            taker.close()
    _finalize_once(run, lease, plan)


def help_run(run_id: int, token: str) -> MigrationRun | None:
    """A helper task's work: take the run's chunks while ``token`` holds the run."""
    run = MigrationRun.objects.select_related("object", "upload").filter(pk=run_id).first()
    if run is None or run.worker != token or run.status != MigrationRun.Status.RUNNING:
        return run
    lease = Lease(token)

    def body():
        taker = _Taker(run, lease, build_plan(run, spool.read_header(run.pk)))
        try:
            taker.until_done()
        except CoordinatorGone:
            log.warning("run %s: its coordinator stopped while splitting; re-enqueued", run.pk)
            _requeue(run)
            return
        finally:
            taker.close()
        _finalize_once(run, lease, taker.plan)

    return guarded(run, lease, body)


class CoordinatorGone(Exception):
    """The worker splitting the file stopped (stale heartbeat) before the split was done."""


def _requeue(run: MigrationRun) -> None:
    """Hand the run to the next free worker: its claim sees the stale heartbeat and takes over."""
    from datamigration.tasks import migration_run_execute_task

    migration_run_execute_task.delay(run.pk)


# --- the split ------------------------------------------------------------------------


def _open_split(run: MigrationRun, token: str):
    """``(chunks still to spool or None, plan)``: resumes where the spool stops."""
    if _chunk_total(run) is not None and not staging_intact(run):
        reset_progress(run)
    _release_claims(run)
    if _chunk_total(run) is not None:
        return None, build_plan(run, spool.read_header(run.pk))
    spooled = RunChunk.objects.filter(run=run).aggregate(rows=Sum("rows"))["rows"] or 0
    chunks, plan, header = open_file(run, skip=spooled)
    if spooled and not staging_intact(run):
        reset_progress(run)
        chunks, plan, header = open_file(run, skip=0)
    spool.write_header(run.pk, header)
    return chunks, plan


def _spool(run: MigrationRun, token: str, chunks, taker: "_Taker") -> None:
    chunk_no = RunChunk.objects.filter(run=run).count()
    helpers_called = False
    pause = conf.split_pause_seconds()
    for first_row, rows in chunks:
        check_cancel(run)
        spool.write_chunk(run.pk, chunk_no, first_row, rows)
        with transaction.atomic():
            RunChunk.objects.create(run=run, chunk_no=chunk_no, first_row=first_row, rows=len(rows))
            _touch(run, token)
        chunk_no += 1
        helpers_called = helpers_called or _call_helpers(run, token)
        waiting = RunChunk.objects.filter(run=run, claimed_at__isnull=True, committed_at__isnull=True).count()
        if waiting > BACKLOG_CHUNKS:
            taker.take_one()
        if pause:
            time.sleep(pause)
    if not helpers_called:
        _call_helpers(run, token)
    rows_total = RunChunk.objects.filter(run=run).aggregate(rows=Sum("rows"))["rows"] or 0
    if rows_total == 0:
        raise readers.FileRejected(readers.HEADER_ONLY)
    updated = MigrationRun.objects.filter(pk=run.pk, worker=token, status=MigrationRun.Status.RUNNING).update(
        chunk_total=chunk_no, total_rows=rows_total, heartbeat_at=timezone.now()
    )
    if not updated:
        raise LeaseLost
    log.info("run %s: split into %s chunks (%s rows)", run.pk, chunk_no, rows_total)


def _chunk_total(run: MigrationRun) -> int | None:
    return MigrationRun.objects.values_list("chunk_total", flat=True).get(pk=run.pk)


def _release_claims(run: MigrationRun) -> None:
    """A new coordinator: the claims of the run's earlier workers are void."""
    RunChunk.objects.filter(run=run, committed_at__isnull=True).update(worker="", claimed_at=None)


def _touch(run: MigrationRun, token: str) -> None:
    if not MigrationRun.objects.filter(pk=run.pk, worker=token, status=MigrationRun.Status.RUNNING).update(
        heartbeat_at=timezone.now()
    ):
        raise LeaseLost


def _call_helpers(run: MigrationRun, token: str) -> bool:
    """Enqueue ``workers - 1`` helpers once two chunks wait (a one-chunk file needs none)."""
    from datamigration.tasks import migration_run_help_task

    if RunChunk.objects.filter(run=run, committed_at__isnull=True).count() < 2:
        return False
    for _ in range(run.workers - 1):
        migration_run_help_task.delay(run.pk, token)
    return True


# --- taking chunks --------------------------------------------------------------------


def _claim(run: MigrationRun, name: str) -> RunChunk | None:
    """The lowest chunk nobody holds (or whose holder's claim is older than the lease)."""
    now = timezone.now()
    stale = now - timedelta(seconds=conf.lease_seconds())
    with transaction.atomic():
        chunk = (
            RunChunk.objects.select_for_update(skip_locked=True)
            .filter(run=run, committed_at__isnull=True)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
            .order_by("chunk_no")
            .first()
        )
        if chunk is not None:
            chunk.worker, chunk.claimed_at = name, now
            chunk.save(update_fields=["worker", "claimed_at"])
    return chunk


class _Taker:
    """Claims, validates and commits chunks of a split run (a writer thread commits)."""

    def __init__(self, run: MigrationRun, lease: Lease, plan: Plan):
        self.run, self.lease, self.plan = run, lease, plan
        self.name = worker_name()
        self.started_at = MigrationRun.objects.values_list("started_at", flat=True).get(pk=run.pk)
        self.pause = conf.chunk_pause_seconds()
        self.writer = ChunkWriter(after_commit=lambda item: spool.remove_chunk(run.pk, item[2]))

    def state(self) -> dict | None:
        """The run as it is now; stop if this worker may no longer write or a cancel came in.

        ``None`` when there is nothing left to do: the run ended, or another of its workers
        is finalising it.
        """
        fields = ("status", "worker", "cancel_requested", "chunk_total", "heartbeat_at")
        state = MigrationRun.objects.values(*fields).get(pk=self.run.pk)
        if state["status"] in MigrationRun.TERMINAL or state["worker"] == f"{self.lease.token}/final":
            return None
        if state["worker"] != self.lease.token:
            raise LeaseLost
        if state["cancel_requested"]:
            raise RunCancelled
        return state

    def take_one(self) -> bool:
        chunk = _claim(self.run, self.name)
        if chunk is None:
            return False
        first_row, rows = spool.read_chunk(self.run.pk, chunk.chunk_no)
        result = _process_chunk(self.plan, first_row, rows)
        elapsed = max((timezone.now() - self.started_at).total_seconds(), 1e-3)
        rate = (F("processed_rows") + result.rows) / Value(elapsed)
        self.writer.submit((self.run, self.lease.token, chunk.chunk_no, self.plan, result, rate, self.name))
        if self.pause:
            time.sleep(self.pause)
        return True

    def until_done(self) -> None:
        """Take chunks until every chunk of the run is committed (by this worker or others)."""
        while True:
            state = self.state()
            if state is None:
                return
            if self.take_one():
                continue
            self.writer.flush()
            if state["chunk_total"] is None:
                # The file is still being split. A coordinator that died stops the heartbeat.
                if state["heartbeat_at"] < timezone.now() - timedelta(seconds=conf.lease_seconds()):
                    raise CoordinatorGone
            elif not RunChunk.objects.filter(run=self.run, committed_at__isnull=True).exists():
                return
            else:  # alive, waiting for other workers' chunks (the next state() sees a lost lease)
                MigrationRun.objects.filter(pk=self.run.pk, worker=self.lease.token).update(heartbeat_at=timezone.now())
            time.sleep(POLL_SECONDS)

    def close(self) -> None:
        self.writer.finish()


def _finalize_once(run: MigrationRun, lease: Lease, plan: Plan) -> None:
    """Exactly one worker finalises: the one whose conditional token swap succeeds."""
    final = f"{lease.token}/final"
    swapped = MigrationRun.objects.filter(pk=run.pk, worker=lease.token, status=MigrationRun.Status.RUNNING).update(
        worker=final, heartbeat_at=timezone.now()
    )
    if not swapped:
        return
    lease.token = final
    _finalize(run, plan, token=final)
