"""The run's own staging table: one text column per field, a row number and a validity flag.

PostgreSQL: an UNLOGGED table filled with ``COPY`` (emptied by a crash: ``staging_intact``
tells, ``reset_progress`` starts the run over); SQLite: a plain table and bulk inserts.
"""

import io
import logging
import re

from django.db import connection, transaction

from datamigration.engine import spool
from datamigration.models import MigrationRun, RowError, RunChunk

log = logging.getLogger(__name__)


def is_postgres() -> bool:
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
        if is_postgres():
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


def stage_write(table: str, names: list[str], first: int, valid: list[bool], columns: list[list[str]]) -> None:
    """Append rows ``first, first + 1, ...`` to the (quoted) staging ``table``: ``COPY`` or bulk insert."""
    count = len(valid)
    if not count:
        return
    numbers = range(first, first + count)
    with connection.cursor() as cursor:
        if is_postgres():
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


def staging_intact(run: MigrationRun) -> bool:
    """Whether the staging table holds every committed row (an UNLOGGED table is emptied by a crash)."""
    processed = MigrationRun.objects.values_list("processed_rows", flat=True).get(pk=run.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(run.staging_table)}")
        staged = cursor.fetchone()[0]
    if staged != processed:
        log.warning("run %s: staging has %s rows, ledger %s; starting over", run.pk, staged, processed)
    return staged == processed


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
