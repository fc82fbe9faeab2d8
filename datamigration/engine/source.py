"""The run's file, opened after the records already committed, with its plan and staging table."""

from pathlib import Path

from datamigration import conf, readers
from datamigration.engine.plan import build_plan
from datamigration.engine.staging import stage_create
from datamigration.models import MigrationRun


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
