"""Settings of the migration engine, each from Django settings or the environment.

``DATAMIGRATION_MAX_UPLOAD_MB`` (default 500): largest accepted upload.
``DATAMIGRATION_CHUNK_ROWS`` (20000): rows per chunk (one transaction, one checkpoint).
``DATAMIGRATION_LEASE_SECONDS`` (60): a running run whose heartbeat is older is taken over.
``DATAMIGRATION_MAX_DELIVERIES`` (5): a run delivered more often is failed (poison job).
``DATAMIGRATION_XLSX_MAX_UNCOMPRESSED_MB`` (1024) and ``DATAMIGRATION_XLSX_MAX_RATIO`` (100):
zip-bomb limits checked before an XLSX is parsed.
``DATAMIGRATION_RUN_WORKERS`` (1): how many workers a new run's chunks are spread over
(PostgreSQL only; a run can ask for another number).
``DATAMIGRATION_SPOOL_DIR`` (``MEDIA_ROOT/datamigration-spool``): where a run split across
workers keeps its chunks until they are committed; shared by the workers, like the uploads.
"""

from pathlib import Path

from django.conf import settings

from erpimpl.env import env_int, env_str


def _get(name: str, default: int) -> int:
    return getattr(settings, name, None) or env_int(name, default)


def max_upload_bytes() -> int:
    return _get("DATAMIGRATION_MAX_UPLOAD_MB", 500) * 1024 * 1024


def chunk_rows() -> int:
    return _get("DATAMIGRATION_CHUNK_ROWS", 20_000)


def lease_seconds() -> int:
    return _get("DATAMIGRATION_LEASE_SECONDS", 60)


def max_deliveries() -> int:
    return _get("DATAMIGRATION_MAX_DELIVERIES", 5)


def xlsx_max_uncompressed() -> int:
    return _get("DATAMIGRATION_XLSX_MAX_UNCOMPRESSED_MB", 1024) * 1024 * 1024


def xlsx_max_ratio() -> int:
    return _get("DATAMIGRATION_XLSX_MAX_RATIO", 100)


def chunk_pause_seconds() -> float:
    """Pause after each chunk (``DATAMIGRATION_CHUNK_PAUSE_MS``): fault-injection tests and demos only."""
    return _get("DATAMIGRATION_CHUNK_PAUSE_MS", 0) / 1000


def split_pause_seconds() -> float:
    """Pause after each chunk written to a split run's spool (``DATAMIGRATION_SPLIT_PAUSE_MS``): tests only."""
    return _get("DATAMIGRATION_SPLIT_PAUSE_MS", 0) / 1000


def run_workers() -> int:
    return _get("DATAMIGRATION_RUN_WORKERS", 1)


def spool_dir() -> Path:
    configured = getattr(settings, "DATAMIGRATION_SPOOL_DIR", None) or env_str("DATAMIGRATION_SPOOL_DIR")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "datamigration-spool"
