"""The chunk ledger of a run split across workers: ``RunChunk`` rows, their claims and counts.

The worker splitting the file adds a row per spooled chunk; any worker claims the lowest
chunk nobody holds with ``SELECT ... FOR UPDATE SKIP LOCKED`` (no two workers take the same
one), and a claim older than the lease (its worker died) may be taken over.
"""

import os
from datetime import timedelta

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from datamigration import conf
from datamigration.models import MigrationRun, RunChunk


def worker_name() -> str:
    """How a chunk's ledger row names the worker process that committed it."""
    from celery import current_task

    hostname = getattr(getattr(current_task, "request", None), "hostname", None) or os.uname().nodename
    return f"{hostname}:{os.getpid()}"


def chunk_total(run: MigrationRun) -> int | None:
    """How many chunks the file was split into; ``None`` while it is still being split."""
    return MigrationRun.objects.values_list("chunk_total", flat=True).get(pk=run.pk)


def rows_spooled(run: MigrationRun) -> int:
    return RunChunk.objects.filter(run=run).aggregate(rows=Sum("rows"))["rows"] or 0


def release_claims(run: MigrationRun) -> None:
    """A new coordinator: the claims of the run's earlier workers are void."""
    RunChunk.objects.filter(run=run, committed_at__isnull=True).update(worker="", claimed_at=None)


def claim_chunk(run: MigrationRun, name: str) -> RunChunk | None:
    """The lowest chunk nobody holds (or whose holder's claim is older than the lease)."""
    now = timezone.now()
    stale = now - timedelta(seconds=conf.lease_seconds())
    with transaction.atomic():
        chunk = (
            RunChunk.objects.select_for_update(skip_locked=True)
            .filter(run=run, committed_at__isnull=True)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
            .order_by("chunk_no")
            .first()
        )
        if chunk is not None:
            chunk.worker, chunk.claimed_at = name, now
            chunk.save(update_fields=["worker", "claimed_at"])
    return chunk
