"""Test helpers of the datamigration app: generated files, uploads and runs done in-process."""

import io
import subprocess
import sys
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from datamigration import services
from datamigration.models import MasterDataObject, MigrationRun

MAKE_MASTERDATA = Path("/work/shared/data/make_masterdata.py")
if not MAKE_MASTERDATA.exists():  # the repository's sibling checkout
    MAKE_MASTERDATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "make_masterdata.py"


def generate(outdir: Path, *, products=2000, partners=300, seed=7, dirty=True) -> Path:
    args = [sys.executable, str(MAKE_MASTERDATA), str(outdir), "--products", str(products)]
    args += ["--partners", str(partners), "--seed", str(seed)] + (["--dirty"] if dirty else [])
    subprocess.run(args, check=True, capture_output=True)
    return outdir


def obj(project, name: str) -> MasterDataObject:
    services.builtin_objects_ensure(project=project)
    return MasterDataObject.objects.get(project=project, name=name)


def upload_bytes(project, name: str, content: bytes, *, by, filename="data.csv", **kwargs):
    return services.upload_create(
        project=project,
        object=obj(project, name),
        by=by,
        file=SimpleUploadedFile(filename, content),
        original_name=filename,
        **kwargs,
    )


def upload_path(project, name: str, path: Path, *, by, **kwargs):
    return upload_bytes(project, name, Path(path).read_bytes(), by=by, filename=Path(path).name, **kwargs)


def execute(run: MigrationRun, worker="test-worker") -> MigrationRun:
    """What the Celery task does: claim, then execute, in this process."""
    claimed, token = services.migration_run_claim(run_id=run.pk, worker=worker)
    assert claimed is not None, "run could not be claimed"
    return services.migration_run_execute(run=claimed, token=token)


def run_file(project, name: str, path_or_bytes, *, by, mode="load", cycle="mock1", **kwargs) -> MigrationRun:
    if isinstance(path_or_bytes, bytes):
        upload = upload_bytes(project, name, path_or_bytes, by=by, **kwargs)
    else:
        upload = upload_path(project, name, path_or_bytes, by=by, **kwargs)
    run = services.migration_run_start(upload=upload, by=by, mode=mode, cycle=cycle)
    return execute(run)


def csv_bytes(rows: list[list[str]], *, encoding="utf-8", delimiter=",") -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def expected_errors(manifest, file):
    return {(e["row"], e["field"], e["kind"]) for e in manifest["errors"] if e["file"] == file}


def reported_errors(run):
    return set(run.row_errors.values_list("row", "field", "kind"))
