"""A run on one worker: read the file once, commit chunk after chunk, then finalise.

1. Each chunk of ``conf.chunk_rows()`` records is validated with compiled per-field checks
   and committed in ONE transaction (``chunks``); on PostgreSQL a writer thread commits
   chunk N while chunk N+1 is validated. Cancel is checked before every chunk.
2. After the last chunk, ``finalize`` finds duplicates and same-object references in SQL,
   counts, and for a load publishes the valid rows.
3. A redelivered run resumes after ``processed_rows`` (committed chunks); if PostgreSQL
   emptied the UNLOGGED staging table after a crash, it starts over.
"""

import logging
import time

from django.db import connection

from datamigration import conf, readers
from datamigration.engine.chunks import ChunkWriter, commit_chunk, validate_chunk
from datamigration.engine.finalize import finalize
from datamigration.engine.lease import Lease, check_cancel, guarded, heartbeat
from datamigration.engine.plan import Plan
from datamigration.engine.source import open_file
from datamigration.engine.staging import is_postgres, reset_progress, staging_intact
from datamigration.models import MigrationRun

log = logging.getLogger(__name__)


def execute(run: MigrationRun, *, token: str) -> None:
    """Run (or resume) ``run``, claimed by ``token``, to its terminal state."""
    guarded(run, Lease(token), lambda: _execute(run, token))


def _execute(run: MigrationRun, token: str) -> None:
    started = time.monotonic()
    with heartbeat(run.pk, token):
        plan = _execute_chunks(run, token=token, started=started)
    chunks_done = time.monotonic()
    finalize(run, plan, token=token)
    log.info(
        "run %s: chunks %.1f s, finalisation %.1f s", run.pk, chunks_done - started, time.monotonic() - chunks_done
    )


def _execute_chunks(run: MigrationRun, *, token: str, started: float) -> Plan:
    state = MigrationRun.objects.values("processed_rows", "last_chunk").get(pk=run.pk)
    resume_after, chunk_no = state["processed_rows"], state["last_chunk"] + 1
    chunks, plan, _ = open_file(run, skip=resume_after)
    if resume_after and not staging_intact(run):
        reset_progress(run)
        resume_after, chunk_no = 0, 0
        chunks, plan, _ = open_file(run, skip=0)
    pause = conf.chunk_pause_seconds()
    writer = ChunkWriter() if is_postgres() and not connection.in_atomic_block else None
    done = resume_after
    try:
        for first_row, rows in chunks:
            check_cancel(run)
            result = validate_chunk(plan, first_row, rows)
            done += len(rows)
            rate = round((done - resume_after) / max(time.monotonic() - started, 1e-6), 1)
            item = (run, token, chunk_no, plan, result, rate)
            if writer is not None:
                writer.submit(item)
            else:
                commit_chunk(*item)
            chunk_no += 1
            if pause:
                time.sleep(pause)
    finally:
        if writer is not None:
            writer.finish()
    if done == 0:
        raise readers.FileRejected(readers.HEADER_ONLY)
    return plan
