"""Finalisation of a run, in one transaction, once every chunk is committed.

Duplicate keys across the whole file and same-object references (e.g. a parent account)
are found in SQL on the staging table; the run's counts are written; a load publishes its
valid rows to ``StagedRecord`` with one ``INSERT ... ON CONFLICT (project, object, key) DO
UPDATE ... WHERE`` the checksum differs (unchanged rows are not touched). A validate-only
run writes no staged record; a failed or cancelled run never gets here.
"""

import hashlib
import logging
import time

from django.db import connection, transaction
from django.utils import timezone

from datamigration.engine.lease import LeaseLost, RunCancelled, heartbeat
from datamigration.engine.plan import Plan
from datamigration.engine.staging import is_postgres, stage_drop
from datamigration.models import MigrationRun, RowError, StagedRecord
from datamigration.validators import DUPLICATE_KEY, UNKNOWN_REFERENCE

log = logging.getLogger(__name__)

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


def finalize(run: MigrationRun, plan: Plan, *, token: str) -> None:
    """Publish the run (one transaction) while ``token`` holds it and no cancel came in."""
    obj = run.object
    stage = connection.ops.quote_name(run.staging_table)
    key = plan.key_column
    now = timezone.now()
    beating = is_postgres() and not connection.in_atomic_block  # a worker, not a test's transaction
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
    with connection.cursor() as cursor:
        if is_postgres():
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


def _sqlite_functions():
    def md5(text):
        return None if text is None else hashlib.md5(text.encode()).hexdigest()

    connection.ensure_connection()
    connection.connection.create_function("md5", 1, md5, deterministic=True)


def _record_sql(plan: Plan) -> tuple[str, list, str, list]:
    """SQL for a staged row's data (JSON object) and checksum (md5 of the values joined by US)."""
    if is_postgres():
        return "s.data", [], "s.checksum", []  # generated columns of the staging table
    data_params, groups = [], []
    build = "jsonb_build_object" if is_postgres() else "json_object"
    for start in range(0, len(plan.names), 40):  # PostgreSQL functions take at most 100 arguments
        pairs = []
        for index in range(start, min(start + 40, len(plan.names))):
            pairs.append(f"%s, s.f{index}")
            data_params.append(plan.names[index])
        groups.append(f"{build}({', '.join(pairs)})")
    if is_postgres():
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
    if is_postgres():
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


def _publish(run: MigrationRun, plan: Plan, stage: str, now) -> dict:
    obj = run.object
    data, data_params, checksum, checksum_params = _record_sql(plan)
    key = plan.key_column
    with connection.cursor() as cursor:
        if not is_postgres():
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
