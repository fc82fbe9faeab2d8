"""The spool of a run split across workers: its header and chunks as files.

The worker that splits the file writes each chunk once, with ``marshal`` (the rows are
lists of strings; writing and reading a 20,000-row chunk takes tens of milliseconds),
through a temporary name and an atomic rename, so a reader never sees half a chunk. The
directory (``DATAMIGRATION_SPOOL_DIR``) must be shared by every worker, like the uploads.
"""

import marshal
import os
import shutil
from pathlib import Path

from datamigration import conf

UNREADABLE = (
    "Chunk {chunk} of this run cannot be read from {path} on this worker ({error}). "
    "DATAMIGRATION_SPOOL_DIR must be a directory every worker shares."
)


class SpoolUnreadable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def run_dir(run_id: int) -> Path:
    return conf.spool_dir() / str(int(run_id))


def _write(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    with open(partial, "wb") as fh:
        marshal.dump(value, fh)
    os.replace(partial, path)


def _read(path: Path, chunk: str):
    try:
        with open(path, "rb") as fh:
            return marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError) as exc:
        raise SpoolUnreadable(UNREADABLE.format(chunk=chunk, path=path, error=exc)) from None


def write_header(run_id: int, header: list[str]) -> None:
    _write(run_dir(run_id) / "header", header)


def read_header(run_id: int) -> list[str]:
    return _read(run_dir(run_id) / "header", "header")


def write_chunk(run_id: int, chunk_no: int, first_row: int, rows: list[list[str]]) -> None:
    _write(run_dir(run_id) / f"{chunk_no}.chunk", (first_row, rows))


def read_chunk(run_id: int, chunk_no: int) -> tuple[int, list[list[str]]]:
    first_row, rows = _read(run_dir(run_id) / f"{chunk_no}.chunk", str(chunk_no))
    return first_row, rows


def remove_chunk(run_id: int, chunk_no: int) -> None:
    (run_dir(run_id) / f"{chunk_no}.chunk").unlink(missing_ok=True)


def remove(run_id: int) -> None:
    shutil.rmtree(run_dir(run_id), ignore_errors=True)
