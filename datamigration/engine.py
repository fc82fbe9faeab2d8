"""The migration engine: stream a file in chunks, validate in bulk, stage, then publish.

Called by ``services.migration_run_execute`` on a Celery worker (never in a request).

1. Each chunk of ``conf.chunk_rows()`` records is validated in Python with compiled
   per-field checks (values trimmed and NFC-normalised), then written, in ONE transaction,
   to the run's own staging table (PostgreSQL: ``COPY``; SQLite: bulk insert) together
   with its row errors, its ledger row ``RunChunk(run, chunk_no)`` (unique) and the run's
   progress. A replayed chunk is refused by the ledger; a worker that lost its lease
   cannot commit (the progress update is conditional on its claim token).
2. After the last chunk, one transaction finds duplicate keys across the whole file and
   same-object references (e.g. a parent account) in SQL on the staging table, writes
   those errors, counts, and for a load publishes the valid rows to ``StagedRecord`` with
   one ``INSERT ... ON CONFLICT (project, object, key) DO UPDATE ... WHERE`` the checksum
   differs. A validate-only run writes no staged record; a failed or cancelled run
   leaves them as they were.
3. A run resumes after ``processed_rows`` (committed chunks) when redelivered.
"""

import hashlib
import io
import logging
import re
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from datamigration import conf, readers, spool
from datamigration.models import FieldDefinition, MigrationRun, RowError, RunChunk, StagedRecord
from datamigration.validators import FieldSpec, compile_column_checker

log = logging.getLogger(__name__)

MISSING_COLUMNS = "Required columns are not mapped: {fields}."
NO_KEY_COLUMN = "The key column {field!r} is not mapped."
INTERNAL_ERROR = "The run stopped on an unexpected error: {error}"


class LeaseLost(Exception):
    """Another worker took the run over; this one stops without writing."""


class RunCancelled(Exception):
    pass


@dataclass
class Plan:
    specs: list[FieldSpec]
    names: list[str]
    columns: list[int | None]
    checkers: list
    key_index: int
    ref_index: int | None  # the same-object reference checked in SQL
    keep_data: bool  # a load stages every column; a validation only the key and reference

    @property
    def key_column(self) -> str:
        return f"f{self.key_index}"

    @property
    def ref_column(self) -> str | None:
        return None if self.ref_index is None else f"f{self.ref_index}"


def load_specs(obj) -> list[FieldSpec]:
    definitions = FieldDefinition.objects.filter(object=obj).select_related("reference_object").order_by("order", "pk")
    return [FieldSpec.from_definition(d, own_object_id=obj.pk) for d in definitions]


def reference_sets(obj, specs: list[FieldSpec]) -> dict[str, frozenset]:
    """The staged keys (or other field values) of every object the specs refer to.

    Filtered on ``(project, object)`` so the unique index answers it (index-only for keys).
    """
    from datamigration.models import MasterDataObject

    targets = {
        o.name: o
        for o in MasterDataObject.objects.filter(
            project_id=obj.project_id, name__in={s.reference_object for s in specs if s.reference_object}
        )
    }
    refs = {}
    for spec in specs:
        if spec.type != "reference" or spec.deferred or spec.reference_object in refs:
            continue
        target = targets.get(spec.reference_object)
        if target is None:
            refs[spec.reference_object] = frozenset()
            continue
        records = StagedRecord.objects.filter(project_id=obj.project_id, object_id=target.pk)
        if spec.reference_field and spec.reference_field != target.key_field:
            values = (r.get(spec.reference_field) for r in records.values_list("data", flat=True).iterator())
            refs[spec.reference_object] = frozenset(str(v) for v in values if v not in (None, ""))
        else:
            refs[spec.reference_object] = frozenset(records.values_list("key", flat=True).iterator())
    return refs


def build_plan(run: MigrationRun, header: list[str]) -> Plan:
    obj = run.object
    specs = load_specs(obj)
    names = [s.name for s in specs]
    mapping = run.upload.mapping or {}
    position = {}
    for index, column in enumerate(header):
        field_name = mapping.get(column)
        if field_name in names and field_name not in position:
            position[field_name] = index
    missing = [s.name for s in specs if s.required and s.name not in position]
    if missing:
        raise readers.FileRejected(MISSING_COLUMNS.format(fields=", ".join(missing)))
    if obj.key_field not in position:
        raise readers.FileRejected(NO_KEY_COLUMN.format(field=obj.key_field))
    key_index = names.index(obj.key_field)
    specs[key_index].required = True
    refs = reference_sets(obj, specs)
    ref_index = next((i for i, s in enumerate(specs) if s.type == "reference" and s.deferred), None)
    return Plan(
        specs=specs,
        names=names,
        columns=[position.get(n) for n in names],
        checkers=[compile_column_checker(s, refs) for s in specs],
        key_index=key_index,
        ref_index=ref_index,
        keep_data=run.mode == MigrationRun.Mode.LOAD,
    )


# --- staging table ----------------------------------------------------------------------


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def stage_create(run: MigrationRun, width: int, names: list[str] | None = None) -> None:
    """The run's own staging table: row number, validity and one text column per field.

    For a load on PostgreSQL, ``data`` (jsonb) and ``checksum`` are generated columns:
    PostgreSQL builds them while it ingests each chunk (in parallel with the validation of
    the next one), so publishing only copies them.
    """
    table = connection.ops.quote_name(run.staging_table)
    columns = ", ".join(f"f{i} text" for i in range(width))
    with connection.cursor() as cursor:
        if _postgres():
            generated = ""
            if names:
                keys = ", ".join(f"'{_sql_name(n)}'" for n in names)
                values = ", ".join(f"f{i}" for i in range(width))
                concat = " || chr(31) || ".join(f"f{i}" for i in range(width))
                generated = (
                    f", data jsonb GENERATED ALWAYS AS (jsonb_object(ARRAY[{keys}], ARRAY[{values}])) STORED"
                    f", checksum text GENERATED ALWAYS AS (md5({concat})) STORED"
                )
            cursor.execute(
                f"CREATE UNLOGGED TABLE IF NOT EXISTS {table} (row_no bigint NOT NULL, valid boolean NOT NULL,"
                f" {columns}{generated})"
            )
        else:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {table} (row_no integer NOT NULL, valid integer NOT NULL, {columns})"
            )


def _sql_name(name: str) -> str:
    if not re.fullmatch(r"[-A-Za-z0-9_]+", name):
        raise ValueError(f"unsafe field name {name!r}")
    return name


def stage_drop(run: MigrationRun) -> None:
    """Remove the run's staging area: its staging table and, for a split run, its spool."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(run.staging_table)}")
    spool.remove(run.pk)


_COPY_SPECIALS = ("\\", "\t", "\n", "\r")


def _copy_escape(column: list[str]) -> list[str]:
    joined = "\x1f".join(column)
    if not any(ch in joined for ch in _COPY_SPECIALS):
        return column
    return [v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r") for v in column]


def _stage_write(table: str, names: list[str], first: int, valid: list[bool], columns: list[list[str]]) -> None:
    count = len(valid)
    if not count:
        return
    numbers = range(first, first + count)
    with connection.cursor() as cursor:
        if _postgres():
            flags = ["t" if v else "f" for v in valid]
            lines = map("\t".join, zip(map(str, numbers), flags, *map(_copy_escape, columns), strict=False))
            buffer = io.StringIO("\n".join(lines) + "\n")
            cursor.cursor.copy_expert(f"COPY {table} (row_no, valid, {', '.join(names)}) FROM STDIN", buffer)
        else:
            marks = ", ".join(["%s"] * (2 + len(names)))
            cursor.executemany(
                f"INSERT INTO {table} (row_no, valid, {', '.join(names)}) VALUES ({marks})",
                list(zip(numbers, valid, *columns, strict=False)),
            )


# --- the chunk loop ---------------------------------------------------------------------


def _clean_column(column: list[str]) -> list[str]:
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
    return [_clean_column(list(map(itemgetter(c), rows))) if c is not None else empty for c in plan.columns]


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


def _process_chunk(plan: Plan, first: int, rows: list[list[str]]) -> ChunkResult:
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


def _commit_chunk(run, token: str, chunk_no: int, plan: Plan, result: ChunkResult, rate, claim: str = "") -> bool:
    """Commit one validated chunk in ONE transaction; ``False`` if it was committed already.

    Without ``claim`` (a run on one worker) the ledger row is created here and the unique
    constraint refuses a replay. With ``claim`` (a split run) the ledger row exists and is
    committed only while this worker's claim on it holds. Either way the run's progress
    update is conditional on ``token``: a worker that lost the run cannot write.
    """
    table = connection.ops.quote_name(run.staging_table)
    with transaction.atomic():
        if _postgres():
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
        _stage_write(
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


@dataclass
class Lease:
    """The claim token a worker writes under; the worker that finalises a split run swaps it."""

    token: str


def execute(run: MigrationRun, *, token: str) -> MigrationRun:
    """Run (or resume) ``run``, claimed by ``token``. Returns the run in its terminal state.

    A run with ``workers > 1`` on PostgreSQL is split across workers (``parallel``); this
    worker then splits the file and takes chunks like the others.
    """
    from datamigration import parallel

    lease = Lease(token)
    if parallel.applies(run):
        return guarded(run, lease, lambda: parallel.coordinate(run, lease))
    return guarded(run, lease, lambda: _execute_sequentially(run, lease.token))


def guarded(run: MigrationRun, lease: Lease, body) -> MigrationRun:
    """Call ``body`` and turn its outcome into the run's terminal state (if this worker may)."""
    try:
        body()
    except LeaseLost:
        log.warning("run %s: another worker holds the run now; this one stops", run.pk)
    except RunCancelled:
        _finish(run, lease.token, MigrationRun.Status.CANCELLED, "")
    except readers.FileRejected as exc:
        _finish(run, lease.token, MigrationRun.Status.FAILED, exc.message)
    except spool.SpoolUnreadable as exc:
        _finish(run, lease.token, MigrationRun.Status.FAILED, exc.message)
    except Exception as exc:
        if MigrationRun.objects.filter(pk=run.pk, status__in=MigrationRun.TERMINAL).exists():
            # Another worker of a split run ended it (e.g. cancelled, dropping the staging table
            # under this worker's last write): nothing to record.
            log.info("run %s ended meanwhile; this worker stops (%s)", run.pk, exc)
        else:
            log.exception("run %s failed", run.pk)
            _finish(run, lease.token, MigrationRun.Status.FAILED, INTERNAL_ERROR.format(error=exc)[:2000])
    return MigrationRun.objects.get(pk=run.pk)


def _execute_sequentially(run: MigrationRun, token: str) -> None:
    started = time.monotonic()
    with heartbeat(run.pk, token):
        plan = _execute_chunks(run, token=token, started=started)
    chunks_done = time.monotonic()
    _finalize(run, plan, token=token)
    log.info(
        "run %s: chunks %.1f s, finalisation %.1f s", run.pk, chunks_done - started, time.monotonic() - chunks_done
    )


def _finish(run, token, status, message):
    updated = MigrationRun.objects.filter(pk=run.pk, worker=token, status=MigrationRun.Status.RUNNING).update(
        status=status, message=message, finished_at=timezone.now()
    )
    if updated:
        stage_drop(run)


def check_cancel(run: MigrationRun) -> None:
    """Raise ``RunCancelled`` if a user asked to stop the run (checked before every chunk)."""
    if MigrationRun.objects.filter(pk=run.pk, cancel_requested=True).exists():
        raise RunCancelled


class ChunkWriter:
    """Commits chunks on a second database connection while the next chunk is validated.

    PostgreSQL works on chunk N (COPY, indexes, commit) while Python validates chunk N+1.
    Used only outside any transaction (a worker), never inside a test's transaction.
    ``after_commit(item)`` runs on the writer thread after each chunk this worker committed
    (not after one it found committed or claimed by another worker).
    """

    def __init__(self, after_commit=None):
        import queue
        import threading

        self.after_commit = after_commit
        self.queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="chunk-writer", daemon=True)
        self.thread.start()

    def _run(self):
        from django.db import connections

        try:
            while True:
                item = self.queue.get()
                try:
                    if item is None:
                        return
                    if self.error is None and _commit_chunk(*item) and self.after_commit is not None:
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


def reset_progress(run: MigrationRun) -> None:
    """Start over: the staging table lost rows (PostgreSQL empties UNLOGGED tables after a crash)."""
    with transaction.atomic():
        RowError.objects.filter(run_id=run.pk).delete()
        RunChunk.objects.filter(run_id=run.pk).delete()
        MigrationRun.objects.filter(pk=run.pk).update(
            processed_rows=0, valid_rows=0, error_rows=0, error_count=0, last_chunk=-1, chunk_total=None
        )
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(run.staging_table)}")
    spool.remove(run.pk)


def staging_intact(run: MigrationRun) -> bool:
    """Whether the staging table holds every committed row (an UNLOGGED table is emptied by a crash)."""
    processed = MigrationRun.objects.values_list("processed_rows", flat=True).get(pk=run.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(run.staging_table)}")
        staged = cursor.fetchone()[0]
    if staged != processed:
        log.warning("run %s: staging has %s rows, ledger %s; starting over", run.pk, staged, processed)
    return staged == processed


def open_file(run: MigrationRun, *, skip: int):
    """Open the run's file after ``skip`` data records: ``(chunks, plan, header)``.

    Builds the plan from the header and creates the staging table (if not there yet).
    """
    upload = run.upload
    chunks = readers.iter_chunks(
        Path(upload.file.path),
        fmt=upload.format,
        encoding=upload.encoding or "utf-8",
        delimiter=upload.delimiter or ",",
        sheet=upload.sheet,
        header_row=upload.header_row,
        size=conf.chunk_rows(),
        skip=skip,
    )
    first = next(chunks, None)
    if first is None:
        raise readers.FileRejected(readers.EMPTY_FILE)
    header = [readers.clean_cell(c) for c in first[1][0]]
    plan = build_plan(run, header)
    stage_create(run, len(plan.names), plan.names if plan.keep_data else None)
    if upload.row_estimate:
        MigrationRun.objects.filter(pk=run.pk, total_rows__isnull=True).update(total_rows=upload.row_estimate)
    return chunks, plan, header


def _execute_chunks(run: MigrationRun, *, token: str, started: float) -> Plan:
    state = MigrationRun.objects.values("processed_rows", "last_chunk").get(pk=run.pk)
    resume_after, chunk_no = state["processed_rows"], state["last_chunk"] + 1
    chunks, plan, _ = open_file(run, skip=resume_after)
    if resume_after and not staging_intact(run):
        reset_progress(run)
        resume_after, chunk_no = 0, 0
        chunks, plan, _ = open_file(run, skip=0)
    pause = conf.chunk_pause_seconds()
    writer = ChunkWriter() if _postgres() and not connection.in_atomic_block else None
    done = resume_after
    try:
        for first_row, rows in chunks:
            check_cancel(run)
            result = _process_chunk(plan, first_row, rows)
            done += len(rows)
            rate = round((done - resume_after) / max(time.monotonic() - started, 1e-6), 1)
            item = (run, token, chunk_no, plan, result, rate)
            if writer is not None:
                writer.submit(item)
            else:
                _commit_chunk(*item)
            chunk_no += 1
            if pause:
                time.sleep(pause)
    finally:
        if writer is not None:
            writer.finish()
    if done == 0:
        raise readers.FileRejected(readers.HEADER_ONLY)
    return plan


# --- finalisation -----------------------------------------------------------------------

_DUPLICATES = """
INSERT INTO datamigration_rowerror (run_id, "row", field, kind, message, value)
SELECT %s, s.row_no, %s, 'duplicate', %s || d.first_row || '.', s.{key}
FROM {stage} s JOIN (
    SELECT {key} AS k, MIN(row_no) AS first_row FROM {stage} WHERE {key} <> '' GROUP BY {key} HAVING COUNT(*) > 1
) d ON s.{key} = d.k
WHERE s.row_no > d.first_row
"""

_SELF_REFERENCES = """
INSERT INTO datamigration_rowerror (run_id, "row", field, kind, message, value)
SELECT %s, s.row_no, %s, 'reference', %s || s.{ref} || %s, s.{ref}
FROM {stage} s
WHERE s.{ref} <> '' AND s.valid
  AND NOT EXISTS (SELECT 1 FROM {stage} t WHERE t.{key} = s.{ref} AND t.valid)
  AND NOT EXISTS (
    SELECT 1 FROM datamigration_stagedrecord r WHERE r.project_id = %s AND r.object_id = %s AND r.key = s.{ref}
  )
"""

_INVALIDATE = """
UPDATE {stage} SET valid = FALSE WHERE valid AND row_no IN (
    SELECT "row" FROM datamigration_rowerror WHERE run_id = %s AND kind = %s
)
"""

_COUNT_CHANGES = """
SELECT COUNT(*),
       SUM(CASE WHEN r.id IS NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.checksum = {checksum} THEN 1 ELSE 0 END)
FROM {stage} s LEFT JOIN datamigration_stagedrecord r
  ON r.project_id = %s AND r.object_id = %s AND r.key = s.{key}
WHERE s.valid
"""

# Only new or changed rows reach the upsert: unchanged rows are not even locked.
_UPSERT = """
INSERT INTO datamigration_stagedrecord (project_id, object_id, key, data, checksum, last_run_id, created_at, updated_at)
SELECT %s, %s, s.{key}, {data}, {checksum}, %s, %s, %s
FROM {stage} s LEFT JOIN datamigration_stagedrecord r
  ON r.project_id = %s AND r.object_id = %s AND r.key = s.{key}
WHERE s.valid AND (r.id IS NULL OR r.checksum <> {checksum})
ON CONFLICT (project_id, object_id, key) DO UPDATE SET
    data = EXCLUDED.data, checksum = EXCLUDED.checksum, last_run_id = EXCLUDED.last_run_id,
    updated_at = EXCLUDED.updated_at
WHERE datamigration_stagedrecord.checksum <> EXCLUDED.checksum
"""


def _sqlite_functions():
    def md5(text):
        return None if text is None else hashlib.md5(text.encode()).hexdigest()

    connection.ensure_connection()
    connection.connection.create_function("md5", 1, md5, deterministic=True)


def _record_sql(plan: Plan) -> tuple[str, list, str, list]:
    """SQL for a staged row's data (JSON object) and checksum (md5 of the values joined by US)."""
    if _postgres():
        return "s.data", [], "s.checksum", []  # generated columns of the staging table
    data_params, groups = [], []
    build = "jsonb_build_object" if _postgres() else "json_object"
    for start in range(0, len(plan.names), 40):  # PostgreSQL functions take at most 100 arguments
        pairs = []
        for index in range(start, min(start + 40, len(plan.names))):
            pairs.append(f"%s, s.f{index}")
            data_params.append(plan.names[index])
        groups.append(f"{build}({', '.join(pairs)})")
    if _postgres():
        data = " || ".join(groups)
    else:
        data = groups[0]
        for group in groups[1:]:
            data = f"json_patch({data}, {group})"
    parts = [f"s.f{index}" for index in range(len(plan.names))]
    checksum = "md5(" + " || %s || ".join(parts) + ")"
    return data, data_params, checksum, ["\x1f"] * (len(parts) - 1)


def object_checksum(project_id: int, object_id: int) -> str:
    """Order-independent checksum of an object's staged data: ``count:sum-of-row-hashes``."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), COALESCE(SUM(('x' || SUBSTR(checksum, 1, 15))::bit(60)::bigint), 0)"
                " FROM datamigration_stagedrecord WHERE project_id = %s AND object_id = %s",
                [project_id, object_id],
            )
            count, total = cursor.fetchone()
            total = int(total)
    else:
        rows = StagedRecord.objects.filter(project_id=project_id, object_id=object_id).values_list(
            "checksum", flat=True
        )
        count = total = 0
        for checksum in rows.iterator(chunk_size=10_000):
            count += 1
            total += int(checksum[:15], 16)
    return f"{count}:{total % (1 << 64):016x}"


def _finalize(run: MigrationRun, plan: Plan, *, token: str) -> None:
    obj = run.object
    stage = connection.ops.quote_name(run.staging_table)
    key = plan.key_column
    now = timezone.now()
    beating = _postgres() and not connection.in_atomic_block  # a worker, not a test's transaction
    with transaction.atomic():
        # No row lock here: the heartbeat writes this row meanwhile. The claim is checked
        # again by the conditional UPDATE at the end, which rolls everything back if lost.
        locked = MigrationRun.objects.filter(pk=run.pk, worker=token).first()
        if locked is None or locked.status != MigrationRun.Status.RUNNING:
            raise LeaseLost
        if locked.cancel_requested:
            raise RunCancelled
        with heartbeat(run.pk, token, enabled=beating):
            fields = _finalize_statements(run, plan, stage, key, obj, locked, now)
        finished = timezone.now()
        elapsed = (finished - locked.started_at).total_seconds() if locked.started_at else 0
        fields.update(
            finished_at=finished,
            heartbeat_at=finished,
            rows_per_second=round(locked.processed_rows / elapsed, 1) if elapsed > 0 else 0,
        )
        claimed = MigrationRun.objects.filter(
            pk=run.pk, worker=token, status=MigrationRun.Status.RUNNING, cancel_requested=False
        ).update(**fields)
        if not claimed:
            still_ours = MigrationRun.objects.filter(pk=run.pk, worker=token, status=MigrationRun.Status.RUNNING)
            raise RunCancelled if still_ours.filter(cancel_requested=True).exists() else LeaseLost
        published = time.monotonic()
    committed = time.monotonic()
    # The figures a user sees count the commit too (flushing a large load takes a while).
    finished = timezone.now()
    elapsed = (finished - locked.started_at).total_seconds() if locked.started_at else 0
    MigrationRun.objects.filter(pk=run.pk).update(
        finished_at=finished, rows_per_second=round(locked.processed_rows / elapsed, 1) if elapsed > 0 else 0
    )
    stage_drop(run)
    log.info("run %s: commit %.1f s, drop %.1f s", run.pk, committed - published, time.monotonic() - committed)


def _finalize_statements(run, plan, stage, key, obj, locked, now) -> dict:
    """Duplicates and self-references in SQL, counts, and the publish of a load."""
    from datamigration.validators import DUPLICATE_KEY, UNKNOWN_REFERENCE

    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"ANALYZE {stage}")
        duplicate_prefix = DUPLICATE_KEY.split("{row}")[0]
        cursor.execute(_DUPLICATES.format(stage=stage, key=key), [run.pk, obj.key_field, duplicate_prefix])
        cursor.execute(_INVALIDATE.format(stage=stage), [run.pk, "duplicate"])
        if plan.ref_index is not None:
            ref_spec = plan.specs[plan.ref_index]
            before, after = UNKNOWN_REFERENCE.split("{value!r}")
            before = before.format(object=obj.name, field=ref_spec.reference_field) + "'"
            cursor.execute(
                _SELF_REFERENCES.format(stage=stage, key=key, ref=plan.ref_column),
                [run.pk, ref_spec.name, before, "'" + after, obj.project_id, obj.pk],
            )
            cursor.execute(_INVALIDATE.format(stage=stage), [run.pk, "reference"])
        cursor.execute(f"SELECT COUNT(*) FROM {stage} WHERE valid")
        valid_rows = cursor.fetchone()[0]
    errors = RowError.objects.filter(run_id=run.pk)
    error_count = errors.count()
    error_rows = errors.values("row").distinct().count()
    fields = {
        "status": MigrationRun.Status.SUCCEEDED,
        "total_rows": locked.processed_rows,
        "valid_rows": valid_rows,
        "error_rows": error_rows,
        "error_count": error_count,
    }
    if run.mode == MigrationRun.Mode.LOAD:
        fields.update(_publish(run, plan, stage, now))
    return fields


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
        enabled = _postgres() and not connection.in_atomic_block
    if not enabled:
        yield
        return
    beat = _Heartbeat(run_id, token)
    beat.start()
    try:
        yield
    finally:
        beat.stop()


class _Heartbeat:
    """Writes the run's ``heartbeat_at`` every second from its own connection."""

    def __init__(self, run_id: int, token: str, interval: float = 1.0):
        import threading

        self.run_id, self.token, self.interval = run_id, token, interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="run-heartbeat", daemon=True)

    def _beat(self):
        from django.db import connections

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


def _publish(run: MigrationRun, plan: Plan, stage: str, now) -> dict:
    obj = run.object
    data, data_params, checksum, checksum_params = _record_sql(plan)
    key = plan.key_column
    with connection.cursor() as cursor:
        if not _postgres():
            _sqlite_functions()
        cursor.execute(
            _COUNT_CHANGES.format(stage=stage, key=key, checksum=checksum),
            [*checksum_params, obj.project_id, obj.pk],
        )
        total, inserted, unchanged = (v or 0 for v in cursor.fetchone())
        if total != unchanged:
            cursor.execute(
                _UPSERT.format(stage=stage, key=key, data=data, checksum=checksum),
                [
                    obj.project_id,
                    obj.pk,
                    *data_params,
                    *checksum_params,
                    run.pk,
                    now,
                    now,
                    obj.project_id,
                    obj.pk,
                    *checksum_params,
                ],
            )
    return {
        "inserted_rows": inserted,
        "unchanged_rows": unchanged,
        "updated_rows": total - inserted - unchanged,
        "loaded_checksum": object_checksum(obj.project_id, obj.pk),
    }
