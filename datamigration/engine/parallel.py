"""One run split across several workers (``MigrationRun.workers > 1``, PostgreSQL).

The worker that claimed the run (the coordinator) reads the file once, in order, and writes
each chunk to the run's spool (``spool``) with a ledger row ``RunChunk(run, chunk_no)``;
once a second chunk is there it asks for ``workers - 1`` helpers (``call_helpers``: the
service enqueues them). The coordinator, when the file is split, and every helper then take
chunks from the ledger one at a time:

- a chunk is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` (no two workers take the
  same one), validated, and committed in one transaction, like a chunk of a run on one
  worker, only while the claim holds and the run is still held under the run's token;
- a claim older than the lease (its worker died) is taken over by any other worker;
- the worker that finds every chunk committed swaps the run's token for its own (exactly
  one wins) and finalises: duplicates across the whole file, same-object references and
  the publishing upsert, unchanged (``finalize``).

If the coordinator dies while it splits, the helpers finish the chunks already spooled; the
first helper that then finds the run's heartbeat stale, or its holder process gone
(``holder``), says so (``help_run`` returns ``True``) and the service enqueues the run again: the worker that claims it becomes the new
coordinator, resumes the split where the spool stops, releases the dead claims and calls
new helpers. If every worker dies, the reconciler (beat, or a worker that starts) does the
same. Committed chunks are never redone.
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F, Value
from django.utils import timezone

from datamigration import conf, readers
from datamigration.engine import holder, spool
from datamigration.engine.chunks import ChunkWriter, validate_chunk
from datamigration.engine.finalize import finalize
from datamigration.engine.lease import Lease, LeaseLost, RunCancelled, check_cancel, guarded, heartbeat, touch
from datamigration.engine.ledger import chunk_total, claim_chunk, release_claims, rows_spooled, worker_name
from datamigration.engine.plan import Plan, build_plan
from datamigration.engine.source import open_file
from datamigration.engine.staging import reset_progress, staging_intact
from datamigration.models import MigrationRun, RunChunk

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2
BACKLOG_CHUNKS = 2


def applies(run: MigrationRun) -> bool:
    """Split only on PostgreSQL and outside a transaction (a worker, not a test's transaction)."""
    return run.workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block


def coordinate(run: MigrationRun, *, token: str, call_helpers: Callable[[int], None]) -> None:
    """Split the file into the spool (or resume the split), then take chunks like a helper.

    ``call_helpers(count)`` enqueues ``count`` helper tasks for this run under ``token``.
    While splitting, the coordinator also takes a chunk whenever more than
    ``BACKLOG_CHUNKS`` wait unclaimed: with no helper free (one worker process), the run
    still moves at nearly the pace of a run on one worker.
    """
    lease = Lease(token)
    guarded(run, lease, lambda: _coordinate(run, lease, call_helpers))


def _coordinate(run: MigrationRun, lease: Lease, call_helpers: Callable[[int], None]) -> None:
    with heartbeat(run.pk, lease.token):  # only the coordinator's: helpers see it stop if it dies
        chunks, plan = _open_split(run)
        taker = Taker(run, lease, plan)
        try:
            if chunks is not None:
                _spool(run, lease.token, chunks, taker, call_helpers)
            else:  # resumed after the split was done
                _call_helpers(run, call_helpers)
            taker.until_done()
        finally:
            taker.close()
    _finalize_once(run, lease, plan)


def help_run(run: MigrationRun, *, token: str) -> bool:
    """A helper's work: take the run's chunks while ``token`` holds the run.

    ``True`` when the run has to be enqueued again: its coordinator stopped while splitting.
    """
    lease = Lease(token)

    def body() -> bool:
        taker = Taker(run, lease, build_plan(run, spool.read_header(run.pk)))
        try:
            taker.until_done()
        except CoordinatorGone:
            return True
        finally:
            taker.close()
        _finalize_once(run, lease, taker.plan)
        return False

    return bool(guarded(run, lease, body))


class CoordinatorGone(Exception):
    """The worker splitting the file stopped (stale heartbeat) before the split was done."""


# --- the split ------------------------------------------------------------------------


def _open_split(run: MigrationRun):
    """``(chunks still to spool or None, plan)``: resumes where the spool stops."""
    if chunk_total(run) is not None and not staging_intact(run):
        reset_progress(run)
    release_claims(run)
    if chunk_total(run) is not None:
        return None, build_plan(run, spool.read_header(run.pk))
    spooled = rows_spooled(run)
    chunks, plan, header = open_file(run, skip=spooled)
    if spooled and not staging_intact(run):
        reset_progress(run)
        chunks, plan, header = open_file(run, skip=0)
    spool.write_header(run.pk, header)
    return chunks, plan


def _spool(run: MigrationRun, token: str, chunks, taker: "Taker", call_helpers: Callable[[int], None]) -> None:
    chunk_no = RunChunk.objects.filter(run=run).count()
    helpers_called = False
    pause = conf.split_pause_seconds()
    for first_row, rows in chunks:
        check_cancel(run)
        spool.write_chunk(run.pk, chunk_no, first_row, rows)
        with transaction.atomic():
            RunChunk.objects.create(run=run, chunk_no=chunk_no, first_row=first_row, rows=len(rows))
            touch(run, token)
        chunk_no += 1
        helpers_called = helpers_called or _call_helpers(run, call_helpers)
        waiting = RunChunk.objects.filter(run=run, claimed_at__isnull=True, committed_at__isnull=True).count()
        if waiting > BACKLOG_CHUNKS:
            taker.take_one()
        if pause:
            time.sleep(pause)
    if not helpers_called:
        _call_helpers(run, call_helpers)
    rows_total = rows_spooled(run)
    if rows_total == 0:
        raise readers.FileRejected(readers.HEADER_ONLY)
    updated = MigrationRun.objects.filter(pk=run.pk, worker=token, status=MigrationRun.Status.RUNNING).update(
        chunk_total=chunk_no, total_rows=rows_total, heartbeat_at=timezone.now()
    )
    if not updated:
        raise LeaseLost
    log.info("run %s: split into %s chunks (%s rows)", run.pk, chunk_no, rows_total)


def _call_helpers(run: MigrationRun, call_helpers: Callable[[int], None]) -> bool:
    """Ask for ``workers - 1`` helpers once two chunks wait (a one-chunk file needs none)."""
    if RunChunk.objects.filter(run=run, committed_at__isnull=True).count() < 2:
        return False
    call_helpers(run.workers - 1)
    return True


# --- taking chunks --------------------------------------------------------------------


class Taker:
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
        fields = ("status", "worker", "cancel_requested", "chunk_total", *holder.FIELDS)
        state = MigrationRun.objects.values(*fields).get(pk=self.run.pk)
        if state["status"] in MigrationRun.TERMINAL or state["worker"] == f"{self.lease.token}/final":
            return None
        if state["worker"] != self.lease.token:
            raise LeaseLost
        if state["cancel_requested"]:
            raise RunCancelled
        return state

    def take_one(self) -> bool:
        chunk = claim_chunk(self.run, self.name)
        if chunk is None:
            return False
        first_row, rows = spool.read_chunk(self.run.pk, chunk.chunk_no)
        result = validate_chunk(self.plan, first_row, rows)
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
                # The file is still being split. A coordinator that died stops the heartbeat
                # (and, on this machine, its process is seen gone before the lease expires).
                if state["heartbeat_at"] < timezone.now() - timedelta(seconds=conf.lease_seconds()):
                    raise CoordinatorGone
                if holder.gone(**state):
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
        worker=final, heartbeat_at=timezone.now(), **holder.current().as_fields()
    )
    if not swapped:
        return
    lease.token = final
    finalize(run, plan, token=final)
