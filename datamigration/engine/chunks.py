"""A chunk of records: validated column by column, then committed in ONE transaction.

The transaction writes the chunk's rows into the run's staging table, its row errors, its
ledger row ``RunChunk(run, chunk_no)`` and the run's progress, conditional on the worker's
claim token (a worker that lost its lease cannot write) and refused by the ledger when the
chunk was committed already (a replay is a no-op).
"""

import logging
import queue
import threading
import unicodedata
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter

from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from datamigration.engine.lease import LeaseLost
from datamigration.engine.plan import Plan
from datamigration.engine.staging import is_postgres, stage_write
from datamigration.models import MigrationRun, RowError, RunChunk

log = logging.getLogger(__name__)


def clean_column(column: list[str]) -> list[str]:
    """Trim and NFC-normalise a column with C-speed passes.

    NFC runs once over the joined column: NUL is a starter that composes with nothing, so
    the split gives back exactly one value per row.
    """
    column = list(map(str.strip, column))
    if not all(map(str.isascii, column)):
        joined = "\x00".join(column)
        if joined.count("\x00") != len(column) - 1:  # a NUL inside a value: value by value
            normalize = unicodedata.normalize
            return [v if v.isascii() else normalize("NFC", v) for v in column]
        column = unicodedata.normalize("NFC", joined).split("\x00")
    return column


def _columns(plan: Plan, rows: list[list[str]]) -> list[list[str]]:
    width = max(c for c in plan.columns if c is not None) + 1
    if min(map(len, rows)) < width:
        rows = [r if len(r) >= width else r + [""] * (width - len(r)) for r in rows]
    empty = [""] * len(rows)
    return [clean_column(list(map(itemgetter(c), rows))) if c is not None else empty for c in plan.columns]


@dataclass
class ChunkResult:
    first_row: int
    columns: list[list[str]]
    valid: list[bool]
    errors: list[tuple]  # (row, field, kind, message, value)
    valid_count: int
    error_rows: int

    @property
    def rows(self) -> int:
        return len(self.valid)


def validate_chunk(plan: Plan, first: int, rows: list[list[str]]) -> ChunkResult:
    """Validate a chunk column by column."""
    columns = _columns(plan, rows)
    errors = []
    bad_rows = set()
    for name, column, checker in zip(plan.names, columns, plan.checkers, strict=False):
        if checker is None:
            continue
        bad = checker(column)
        if not bad:
            continue
        for index in compress(range(len(column)), map(bad.__contains__, column)):
            value = column[index]
            kind, message = bad[value]
            errors.append((first + index, name, kind, message, value))
            bad_rows.add(index)
    valid = [True] * len(rows)
    for index in bad_rows:
        valid[index] = False
    return ChunkResult(first, columns, valid, errors, len(rows) - len(bad_rows), len(bad_rows))


def commit_chunk(run, token: str, chunk_no: int, plan: Plan, result: ChunkResult, rate, claim: str = "") -> bool:
    """Commit one validated chunk in ONE transaction; ``False`` if it was committed already.

    Without ``claim`` (a run on one worker) the ledger row is created here and the unique
    constraint refuses a replay. With ``claim`` (a split run) the ledger row exists and is
    committed only while this worker's claim on it holds. Either way the run's progress
    update is conditional on ``token``: a worker that lost the run cannot write.
    """
    table = connection.ops.quote_name(run.staging_table)
    with transaction.atomic():
        if is_postgres():
            # Consistent, not necessarily durable: a lost last chunk is redone on resume.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        if not _ledger_commit(run, token, chunk_no, result, claim):
            log.info("run %s chunk %s already committed; skipped", run.pk, chunk_no)
            return False
        if plan.keep_data:
            indexes = range(len(result.columns))
        else:
            indexes = [plan.key_index] + ([plan.ref_index] if plan.ref_index is not None else [])
        stage_write(
            table, [f"f{i}" for i in indexes], result.first_row, result.valid, [result.columns[i] for i in indexes]
        )
        RowError.objects.bulk_create(
            [
                RowError(run_id=run.pk, row=n, field=f, kind=k, message=m, value=v[:10_000])
                for n, f, k, m, v in result.errors
            ],
            batch_size=5000,
        )
        updated = MigrationRun.objects.filter(pk=run.pk, worker=token, status=MigrationRun.Status.RUNNING).update(
            processed_rows=F("processed_rows") + result.rows,
            valid_rows=F("valid_rows") + result.valid_count,
            error_rows=F("error_rows") + result.error_rows,
            error_count=F("error_count") + len(result.errors),
            last_chunk=Greatest(F("last_chunk"), chunk_no) if claim else chunk_no,
            heartbeat_at=timezone.now(),
            rows_per_second=rate,
        )
        if not updated:
            raise LeaseLost
    return True


def _ledger_commit(run, token: str, chunk_no: int, result: ChunkResult, claim: str) -> bool:
    counts = {"valid": result.valid_count, "errors": result.error_rows}
    if claim:
        return bool(
            RunChunk.objects.filter(run_id=run.pk, chunk_no=chunk_no, worker=claim, committed_at__isnull=True).update(
                committed_at=timezone.now(), **counts
            )
        )
    try:
        with transaction.atomic():
            RunChunk.objects.create(
                run=run,
                chunk_no=chunk_no,
                first_row=result.first_row,
                rows=result.rows,
                worker=token,
                committed_at=timezone.now(),
                **counts,
            )
    except IntegrityError:
        return False
    return True


class ChunkWriter:
    """Commits chunks on a second database connection while the next chunk is validated.

    PostgreSQL works on chunk N (COPY, indexes, commit) while Python validates chunk N+1.
    Used only outside any transaction (a worker), never inside a test's transaction.
    ``item`` is the arguments of ``commit_chunk``; ``after_commit(item)`` runs on the writer
    thread after each chunk this worker committed (not after one it found committed or
    claimed by another worker).
    """

    def __init__(self, after_commit=None):
        self.after_commit = after_commit
        self.queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="chunk-writer", daemon=True)
        self.thread.start()

    def _run(self):
        try:
            while True:
                item = self.queue.get()
                try:
                    if item is None:
                        return
                    if self.error is None and commit_chunk(*item) and self.after_commit is not None:
                        self.after_commit(item)
                except BaseException as exc:  # handed to the main thread at the next submit/flush
                    self.error = exc
                finally:
                    self.queue.task_done()
        finally:
            connections.close_all()

    def submit(self, item):
        if self.error is not None:
            raise self.error
        self.queue.put(item)

    def flush(self):
        """Wait until every submitted chunk is committed."""
        self.queue.join()
        if self.error is not None:
            raise self.error

    def finish(self):
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
