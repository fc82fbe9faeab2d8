"""Migration runs: start (UPLOAD_DATA to validate, RUN_JOBS to load), cancel, and a worker's part.

A worker claims a run (``migration_run_claim``), then ``migration_run_execute`` picks the
engine's driver: ``engine.parallel`` for a run split across workers, else
``engine.sequential``. Every task of a run is enqueued here, never by the engine: the run
itself, the helpers a split run asks for, and a run handed back by a helper whose
coordinator died.
"""

import logging
import math
import re
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from datamigration import conf
from datamigration.engine import holder, parallel, sequential
from datamigration.engine.staging import stage_drop
from datamigration.models import MAX_RUN_WORKERS, MasterDataObject, MigrationRun, Upload
from datamigration.tasks import migration_run_execute_task, migration_run_help_task
from erpimpl.errors import ConflictError, DomainError
from projects.audit import audited
from projects.roles import Capability, require

__all__ = [
    "BAD_CYCLE",
    "BAD_WORKERS",
    "CYCLE_PATTERN",
    "KEY_NOT_MAPPED",
    "LOAD_ALREADY_ACTIVE",
    "POISON",
    "REQUIRED_NOT_MAPPED",
    "RUN_FINISHED",
    "migration_run_cancel",
    "migration_run_claim",
    "migration_run_execute",
    "migration_run_help",
    "migration_run_mark_failed",
    "migration_run_recheck_seconds",
    "migration_run_start",
    "migration_runs_reconcile",
]

log = logging.getLogger(__name__)

REQUIRED_NOT_MAPPED = "Required fields are not mapped to a column: {fields}."
KEY_NOT_MAPPED = "The key field {field!r} is not mapped to a column."
LOAD_ALREADY_ACTIVE = "A load of {object} is already queued or running (run #{run}); wait for it or cancel it."
RUN_FINISHED = "This run has already finished ({status})."
BAD_CYCLE = "Cycle must look like mock1, mock2, ... or final."
BAD_WORKERS = "Workers must be a whole number from 1 to {limit}."
POISON = "The run was delivered {count} times without finishing; it is marked failed."

CYCLE_PATTERN = r"^(mock[1-9][0-9]?|final)$"


def _check_mapping_complete(upload: Upload) -> None:
    obj = upload.object
    mapped = set(upload.mapping.values())
    missing = [f for f in obj.fields.filter(required=True).values_list("name", flat=True) if f not in mapped]
    if missing:
        raise DomainError(REQUIRED_NOT_MAPPED.format(fields=", ".join(missing)), field="mapping")
    if obj.key_field not in mapped:
        raise DomainError(KEY_NOT_MAPPED.format(field=obj.key_field), field="mapping")


@audited
def migration_run_start(
    *, upload: Upload, by, mode: str = MigrationRun.Mode.VALIDATE, cycle: str = "mock1", workers: int | None = None
):
    """Queue a validation (UPLOAD_DATA) or load (RUN_JOBS) of an upload on a worker.

    ``workers`` (default ``DATAMIGRATION_RUN_WORKERS``): how many workers may process the
    run's chunks at once. Splitting needs PostgreSQL; elsewhere a run uses one worker.
    """
    capability = Capability.RUN_JOBS if mode == MigrationRun.Mode.LOAD else Capability.UPLOAD_DATA
    require(by, upload.project, capability)
    if mode not in MigrationRun.Mode.values:
        raise DomainError(f"Unknown mode {mode!r}.", field="mode")
    if not re.match(CYCLE_PATTERN, cycle or ""):
        raise DomainError(BAD_CYCLE, field="cycle")
    workers = conf.run_workers() if workers is None else workers
    if not 1 <= workers <= MAX_RUN_WORKERS:
        raise DomainError(BAD_WORKERS.format(limit=MAX_RUN_WORKERS), field="workers")
    if connection.vendor != "postgresql":
        workers = 1
    _check_mapping_complete(upload)
    with transaction.atomic():
        obj = MasterDataObject.objects.select_for_update().get(pk=upload.object_id)
        if mode == MigrationRun.Mode.LOAD:
            active = (
                MigrationRun.objects.filter(object=obj, mode=MigrationRun.Mode.LOAD, status__in=MigrationRun.ACTIVE)
                .order_by("pk")
                .first()
            )
            if active is not None:
                raise ConflictError(LOAD_ALREADY_ACTIVE.format(object=obj.name, run=active.pk))
        run = MigrationRun(
            project=upload.project, object=obj, upload=upload, mode=mode, cycle=cycle, workers=workers, started_by=by
        )
        run.full_clean()
        run.save()
        migration_run_execute_task.delay_on_commit(run.pk)
    return run


@audited
def migration_run_cancel(*, run: MigrationRun, by) -> MigrationRun:
    """A queued run is cancelled at once; a running one stops at its next chunk (seconds)."""
    capability = Capability.RUN_JOBS if run.mode == MigrationRun.Mode.LOAD else Capability.UPLOAD_DATA
    require(by, run.project, capability)
    with transaction.atomic():
        current = MigrationRun.objects.select_for_update().get(pk=run.pk)
        if current.status in MigrationRun.TERMINAL:
            raise DomainError(RUN_FINISHED.format(status=current.get_status_display()))
        current.cancel_requested = True
        fields = ["cancel_requested", "updated_at"]
        if current.status == MigrationRun.Status.QUEUED:
            current.status = MigrationRun.Status.CANCELLED
            current.finished_at = timezone.now()
            fields += ["status", "finished_at"]
        current.save(update_fields=fields)
    return current


# --- a worker's part ----------------------------------------------------------------------


def migration_run_claim(*, run_id: int, worker: str) -> tuple[MigrationRun | None, str]:
    """Claim a queued run, or a running one whose holder is gone or whose lease expired.

    A running run is taken over at once when the process holding it ran on this machine
    and no longer exists (``engine.holder``: a worker killed and restarted, a prefork child
    killed and its message redelivered), else when its heartbeat is older than the lease.
    The claim is a conditional UPDATE on the state read: exactly one worker wins, and a
    holder that is still alive (its heartbeat moved) keeps the run. The claimer is recorded
    as the new holder. Returns ``(run, token)`` or ``(None, "")``.
    """
    now = timezone.now()
    current = MigrationRun.objects.filter(pk=run_id).first()
    if current is None:
        return None, ""
    if current.status == MigrationRun.Status.QUEUED:
        takeover = ""
    elif current.status != MigrationRun.Status.RUNNING:
        return None, ""
    elif holder.lease_expired(current):
        takeover = MigrationRun.Takeover.LEASE_EXPIRED
    elif holder.holder_gone(current):
        takeover = MigrationRun.Takeover.HOLDER_GONE
    else:
        return None, ""  # its holder is alive
    as_read = MigrationRun.objects.filter(
        pk=run_id, status=current.status, worker=current.worker, heartbeat_at=current.heartbeat_at
    )
    token = f"{worker}:{uuid.uuid4().hex[:12]}"
    with transaction.atomic():
        if current.cancel_requested:
            # Cancelled while queued or while its worker was gone: close it.
            if as_read.update(status=MigrationRun.Status.CANCELLED, finished_at=now):
                stage_drop(MigrationRun(pk=run_id))
            return None, ""
        fields = {"status": MigrationRun.Status.RUNNING, "worker": token, "heartbeat_at": now}
        fields.update(holder.current().as_fields())
        if takeover:
            fields.update(takeovers=F("takeovers") + 1, last_takeover=takeover)
        if not as_read.filter(cancel_requested=False).update(**fields):
            return None, ""  # another worker claimed it, or its holder wrote meanwhile
        if takeover:
            log.warning("run %s taken over from %s (%s)", run_id, current.worker, takeover)
        run = MigrationRun.objects.select_for_update().get(pk=run_id)
        run.deliveries += 1
        if run.started_at is None:
            run.started_at = now
        run.save(update_fields=["deliveries", "started_at"])
        if run.deliveries > conf.max_deliveries():
            run.status = MigrationRun.Status.FAILED
            run.message = POISON.format(count=run.deliveries - 1)
            run.finished_at = now
            run.save(update_fields=["status", "message", "finished_at"])
            return None, ""
    return run, token


def migration_run_recheck_seconds(*, run_id: int) -> int | None:
    """When a delivery that found the run held should look again; ``None`` once it is not running.

    Within seconds when its holder process is gone (once the run has been silent long
    enough); else when the lease could have expired.
    """
    state = MigrationRun.objects.filter(pk=run_id, status=MigrationRun.Status.RUNNING).values(*holder.FIELDS).first()
    if state is None:
        return None
    if holder.process_gone(state["holder_host"], state["holder_pid"], state["holder_started"]):
        silent = min(holder.seconds_silent(state["heartbeat_at"]), holder.silence_seconds())
        return max(math.ceil(holder.silence_seconds() - silent), 1)
    return conf.lease_seconds() + 1


def migration_run_execute(*, run: MigrationRun, token: str) -> MigrationRun:
    """Validate (and load) a claimed run to its terminal state, on one worker or split across several.

    A split run (``engine.parallel.applies``) asks for its helpers while it splits the file:
    they are enqueued here, carrying the run's token.
    """

    def call_helpers(count: int) -> None:
        for _ in range(count):
            migration_run_help_task.delay(run.pk, token)

    if parallel.applies(run):
        parallel.coordinate(run, token=token, call_helpers=call_helpers)
    else:
        sequential.execute(run, token=token)
    return MigrationRun.objects.get(pk=run.pk)


def migration_run_help(*, run_id: int, token: str) -> MigrationRun | None:
    """Process chunks of a split run while ``token`` still holds it (``engine.parallel``).

    A helper that finds the coordinator gone before the file was split hands the run back:
    it is enqueued again, and the worker that claims it becomes the new coordinator.
    """
    run = MigrationRun.objects.select_related("object", "upload").filter(pk=run_id).first()
    if run is None or run.worker != token or run.status != MigrationRun.Status.RUNNING:
        return run
    if parallel.help_run(run, token=token):
        log.warning("run %s: its coordinator stopped while splitting; re-enqueued", run.pk)
        migration_run_execute_task.delay(run.pk)
    return MigrationRun.objects.get(pk=run.pk)


def migration_runs_reconcile() -> list[int]:
    """Re-enqueue runs whose worker died or whose message was lost.

    A run is re-enqueued when its heartbeat is older than the lease, or at once when the
    process holding it ran on this machine and is gone (``engine.holder``): a worker killed
    and restarted resumes its runs within seconds, with or without beat, instead of waiting
    for the lease or for the broker's redelivery. Called when a worker starts and
    periodically (beat); a duplicate delivery is harmless because the claim is a
    conditional update.
    """
    stale = timezone.now() - timedelta(seconds=conf.lease_seconds())
    ids = set(
        MigrationRun.objects.filter(
            Q(status=MigrationRun.Status.RUNNING, heartbeat_at__lt=stale)
            | Q(status=MigrationRun.Status.QUEUED, created_at__lt=stale)
        ).values_list("pk", flat=True)
    )
    held_here = MigrationRun.objects.filter(status=MigrationRun.Status.RUNNING, holder_host=holder.host_id())
    for run_id, *identity in held_here.values_list("pk", "holder_host", "holder_pid", "holder_started"):
        if holder.process_gone(*identity):
            ids.add(run_id)
    for run_id in sorted(ids):
        migration_run_execute_task.delay(run_id)
    return sorted(ids)


def migration_run_mark_failed(*, run_id: int, error: str) -> None:
    run = MigrationRun.objects.filter(pk=run_id, status=MigrationRun.Status.RUNNING).first()
    if run is None:
        return
    MigrationRun.objects.filter(pk=run_id, status=MigrationRun.Status.RUNNING).update(
        status=MigrationRun.Status.FAILED, message=error[:2000], finished_at=timezone.now()
    )
    stage_drop(run)
