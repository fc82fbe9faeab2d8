"""Every write of the datamigration app. Keyword-only functions taking the acting user ``by``.

Public for other apps: none (golive reads runs through ``selectors``).

Capabilities: reading needs VIEW; uploading files, editing mappings and starting or
cancelling validation runs need UPLOAD_DATA (key users, consultants, PMs); starting or
cancelling loads needs RUN_JOBS (consultants, PMs); defining objects and fields needs EDIT.
"""

import hashlib
import logging
import tempfile
import uuid
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from datamigration import builtins, conf, readers
from datamigration.models import (
    MAX_RUN_WORKERS,
    FieldDefinition,
    MasterDataObject,
    MigrationRun,
    StagedRecord,
    Upload,
)
from erpimpl.errors import ConflictError, DomainError
from projects.audit import audited
from projects.models import Project
from projects.roles import Capability, require
from projects.updating import apply_update

log = logging.getLogger(__name__)

FILE_TOO_LARGE = "The file is larger than the limit of {limit} MB."
UNKNOWN_FIELD = "{field!r} is not a field of {object}."
FIELD_MAPPED_TWICE = "The field {field!r} is mapped to more than one column."
UNKNOWN_COLUMN = "The file has no column {column!r}."
REQUIRED_NOT_MAPPED = "Required fields are not mapped to a column: {fields}."
KEY_NOT_MAPPED = "The key field {field!r} is not mapped to a column."
LOAD_ALREADY_ACTIVE = "A load of {object} is already queued or running (run #{run}); wait for it or cancel it."
RUN_FINISHED = "This run has already finished ({status})."
OBJECT_NAME_TAKEN = "This project already has an object named {name!r}."
FIELD_NAME_TAKEN = "{object} already has a field named {name!r}."
REFERENCE_NEEDS_TARGET = "A reference field needs the object it refers to."
REFERENCE_OTHER_PROJECT = "A reference must point to an object of the same project."
CHOICES_NEEDED = "A choice field needs at least one allowed value."
BAD_CYCLE = "Cycle must look like mock1, mock2, ... or final."
BAD_WORKERS = "Workers must be a whole number from 1 to {limit}."
BAD_HEADER_ROW = "The header row must be 1 or more."
REFERENCE_CYCLE = "These objects refer to each other in a circle: {names}."

CYCLE_PATTERN = r"^(mock[1-9][0-9]?|final)$"


class UploadTooLarge(DomainError):
    """The file exceeds the configured size limit (the API answers 413)."""


# --- objects ------------------------------------------------------------------------------


def builtin_objects_ensure(*, project: Project) -> list[MasterDataObject]:
    """Create the built-in objects of ``shared/data/README.md`` for a project (idempotent)."""
    existing = {o.name: o for o in MasterDataObject.objects.filter(project=project)}
    if all(name in existing for name, *_ in builtins.BUILTIN_OBJECTS):
        return list(existing.values())
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        existing = {o.name: o for o in MasterDataObject.objects.filter(project=project)}
        for order, (name, label, description, fields) in enumerate(builtins.BUILTIN_OBJECTS):
            if name in existing:
                continue
            obj = MasterDataObject.objects.create(
                project=project, name=name, label=label, description=description, builtin=True, load_order=order
            )
            existing[name] = obj
            for index, spec in enumerate(fields):
                spec = dict(spec)
                ref = spec.pop("ref", None)
                FieldDefinition.objects.create(
                    object=obj,
                    order=index,
                    reference_object=obj if ref == "self" else existing.get(ref) if ref else None,
                    **spec,
                )
        _recompute_load_order(project)
    return list(MasterDataObject.objects.filter(project=project))


def _recompute_load_order(project: Project) -> None:
    """Referenced objects load first (a same-object reference is resolved within the file)."""
    objects = {o.pk: o for o in MasterDataObject.objects.filter(project=project)}
    deps = {pk: set() for pk in objects}
    for obj_id, ref_id in FieldDefinition.objects.filter(
        object__project=project, reference_object__isnull=False
    ).values_list("object_id", "reference_object_id"):
        if obj_id != ref_id:
            deps[obj_id].add(ref_id)
    order, placed = [], set()
    while len(order) < len(objects):
        ready = sorted(
            (pk for pk in objects if pk not in placed and deps[pk] <= placed),
            key=lambda pk: (objects[pk].load_order, objects[pk].name),
        )
        if not ready:
            names = ", ".join(sorted(objects[pk].name for pk in objects if pk not in placed))
            raise DomainError(REFERENCE_CYCLE.format(names=names))
        order.extend(ready)
        placed.update(ready)
    for index, pk in enumerate(order):
        if objects[pk].load_order != index:
            MasterDataObject.objects.filter(pk=pk).update(load_order=index)


@audited
def object_create(
    *, project: Project, by, name: str, label: str, description: str = "", key_field: str = "code"
) -> MasterDataObject:
    require(by, project, Capability.EDIT)
    builtin_objects_ensure(project=project)
    if MasterDataObject.objects.filter(project=project, name=name).exists():
        raise DomainError(OBJECT_NAME_TAKEN.format(name=name), field="name")
    with transaction.atomic():
        obj = MasterDataObject(
            project=project,
            name=name,
            label=label,
            description=description,
            key_field=key_field,
            load_order=MasterDataObject.objects.filter(project=project).count(),
        )
        obj.full_clean()
        obj.save()
        if key_field:
            FieldDefinition.objects.create(object=obj, name=key_field, required=True, unique=True, max_length=64)
    return obj


@audited
def field_create(*, object: MasterDataObject, by, name: str, **rules) -> FieldDefinition:
    require(by, object.project, Capability.EDIT)
    if object.fields.filter(name=name).exists():
        raise DomainError(FIELD_NAME_TAKEN.format(object=object.name, name=name), field="name")
    target = rules.get("reference_object")
    if rules.get("type") == FieldDefinition.Type.REFERENCE and target is None:
        raise DomainError(REFERENCE_NEEDS_TARGET, field="reference_object")
    if target is not None and target.project_id != object.project_id:
        raise DomainError(REFERENCE_OTHER_PROJECT, field="reference_object")
    if rules.get("type") == FieldDefinition.Type.CHOICE and not rules.get("choices"):
        raise DomainError(CHOICES_NEEDED, field="choices")
    with transaction.atomic():
        definition = FieldDefinition(object=object, name=name, order=object.fields.count(), **rules)
        definition.full_clean()
        definition.save()
        _recompute_load_order(object.project)
    return definition


# --- uploads ------------------------------------------------------------------------------


def _normalised_fields(obj: MasterDataObject) -> dict[str, str]:
    lookup = {}
    for name, label in obj.fields.values_list("name", "label"):
        lookup.setdefault(readers.normalise_header(name), name)
        if label:
            lookup.setdefault(readers.normalise_header(label), name)
    return lookup


def guess_mapping(obj: MasterDataObject, headers: Iterable[str]) -> dict[str, str]:
    """Column -> field: the saved mapping of the object first, then exact, then normalised names."""
    names = set(obj.fields.values_list("name", flat=True))
    by_key = _normalised_fields(obj)
    saved = obj.saved_mapping or {}
    mapping, taken = {}, set()
    headers = [h for h in headers if h]
    for rule in ("saved", "exact", "normalised"):
        for header in headers:
            if header in mapping:
                continue
            key = readers.normalise_header(header)
            if rule == "saved":
                field = saved.get(key)
            elif rule == "exact":
                field = header if header in names else None
            else:
                field = by_key.get(key)
            if field in names and field not in taken:
                mapping[header] = field
                taken.add(field)
    return mapping


def _store(source, suffix: str, project: Project) -> str:
    """Save under a generated name (the user's file name is only kept as data)."""
    return default_storage.save(f"datamigration/{project.pk}/{uuid.uuid4().hex}{suffix}", File(source))


def _blocks(file):
    if hasattr(file, "chunks"):
        yield from file.chunks()
    else:
        yield from iter(lambda: file.read(1 << 20), b"")


@audited
def upload_create(
    *,
    project: Project,
    object: MasterDataObject,
    by,
    file,
    original_name: str,
    encoding: str = "",
    sheet: str = "",
    header_row: int = 1,
) -> Upload:
    """Store a CSV/XLSX file and read its header; refuse anything unusable, storing nothing."""
    require(by, project, Capability.UPLOAD_DATA)
    if object.project_id != project.pk:
        raise DomainError(REFERENCE_OTHER_PROJECT, field="object")
    if header_row < 1:
        raise DomainError(BAD_HEADER_ROW, field="header_row")
    limit = conf.max_upload_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise UploadTooLarge(FILE_TOO_LARGE.format(limit=limit // (1024 * 1024)), field="file")
    original_name = Path(str(original_name or "upload.csv")).name[-200:] or "upload.csv"
    with tempfile.NamedTemporaryFile(suffix=Path(original_name).suffix[:10]) as probe:
        # A private copy to inspect before anything is kept; hashed and counted on the way.
        digest, lines, last = hashlib.sha256(), 0, b""
        for block in _blocks(file):
            probe.write(block)
            digest.update(block)
            lines += block.count(b"\n")
            last = block
        if last and not last.endswith(b"\n"):
            lines += 1
        probe.flush()
        probe_path = Path(probe.name)
        if probe_path.stat().st_size > limit:
            raise UploadTooLarge(FILE_TOO_LARGE.format(limit=limit // (1024 * 1024)), field="file")
        if probe_path.stat().st_size == 0:
            raise DomainError(readers.EMPTY_FILE, field="file")
        try:
            fmt = readers.sniff_format(probe_path, original_name)
            delimiter = ""
            if fmt == "xlsx":
                readers.check_xlsx(probe_path)
                sheets = readers.xlsx_sheet_names(probe_path)
                sheet = sheet or (sheets[0] if sheets else "")
                if sheet not in sheets:
                    raise readers.FileRejected(readers.UNKNOWN_SHEET.format(sheet=sheet))
                enc = ""
            else:
                enc, delimiter = readers.check_text_file(probe_path, encoding or None)
            headers, has_data = readers.read_header(
                probe_path, fmt=fmt, encoding=enc or "utf-8", delimiter=delimiter, sheet=sheet, header_row=header_row
            )
        except readers.FileRejected as exc:
            raise DomainError(exc.message, field="file") from None
        if not has_data:
            raise DomainError(readers.HEADER_ONLY, field="file")
        with transaction.atomic():
            probe.seek(0)
            stored = _store(probe, f".{fmt}", project)
            size, sha = probe_path.stat().st_size, digest.hexdigest()
            try:
                upload = Upload(
                    project=project,
                    object=object,
                    file=stored,
                    original_name=original_name,
                    size=size,
                    sha256=sha,
                    format=fmt,
                    encoding=enc,
                    delimiter=delimiter,
                    sheet=sheet,
                    header_row=header_row,
                    headers=headers,
                    row_estimate=max(lines - header_row, 1) if fmt == "csv" else None,
                    mapping=guess_mapping(object, headers),
                    uploaded_by=by,
                )
                upload.full_clean()
                upload.save()
            except Exception:
                default_storage.delete(stored)
                raise
    return upload


def mapping_problems(upload: Upload, mapping: dict[str, str]) -> list[str]:
    obj = upload.object
    names = set(obj.fields.values_list("name", flat=True))
    problems = []
    seen = set()
    for column, field in mapping.items():
        if column not in upload.headers:
            problems.append(UNKNOWN_COLUMN.format(column=column))
        if field not in names:
            problems.append(UNKNOWN_FIELD.format(field=field, object=obj.name))
        if field in seen:
            problems.append(FIELD_MAPPED_TWICE.format(field=field))
        seen.add(field)
    return problems


@audited
def upload_update_mapping(*, upload: Upload, by, mapping: dict[str, str], version: int | None = None) -> Upload:
    """Change the column mapping (column -> field; empty field = ignored) and remember it."""
    require(by, upload.project, Capability.UPLOAD_DATA)
    mapping = {str(c): str(f) for c, f in (mapping or {}).items() if f}
    problems = mapping_problems(upload, mapping)
    if problems:
        raise DomainError(" ".join(problems), field="mapping")
    with transaction.atomic():
        updated = apply_update(upload, version=version, changes={"mapping": mapping}, allowed={"mapping"})
        obj = MasterDataObject.objects.select_for_update().get(pk=upload.object_id)
        saved = dict(obj.saved_mapping or {})
        saved.update({readers.normalise_header(c): f for c, f in mapping.items()})
        obj.saved_mapping = saved
        obj.save(update_fields=["saved_mapping", "updated_at"])
    return updated


# --- runs ---------------------------------------------------------------------------------


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
    import re

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
    from datamigration.tasks import migration_run_execute_task

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


POISON = "The run was delivered {count} times without finishing; it is marked failed."


def migration_run_claim(*, run_id: int, worker: str) -> tuple[MigrationRun | None, str]:
    """Claim a queued run, or a running one whose worker stopped renewing its lease.

    A conditional UPDATE: exactly one worker wins. Returns ``(run, token)`` or ``(None, "")``.
    """
    now = timezone.now()
    token = f"{worker}:{uuid.uuid4().hex[:12]}"
    stale = now - timedelta(seconds=conf.lease_seconds())
    claimable = Q(status=MigrationRun.Status.QUEUED) | Q(status=MigrationRun.Status.RUNNING, heartbeat_at__lt=stale)
    with transaction.atomic():
        claimed = (
            MigrationRun.objects.filter(pk=run_id, cancel_requested=False)
            .filter(claimable)
            .update(status=MigrationRun.Status.RUNNING, worker=token, heartbeat_at=now)
        )
        if not claimed:
            # Cancelled while queued or while its worker was dead: close it.
            closed = (
                MigrationRun.objects.filter(pk=run_id, cancel_requested=True)
                .filter(claimable)
                .update(status=MigrationRun.Status.CANCELLED, finished_at=now)
            )
            if closed:
                from datamigration import engine

                engine.stage_drop(MigrationRun(pk=run_id))
            return None, ""
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


def migration_run_is_running(*, run_id: int) -> bool:
    return MigrationRun.objects.filter(pk=run_id, status=MigrationRun.Status.RUNNING).exists()


def migration_run_execute(*, run: MigrationRun, token: str) -> MigrationRun:
    """Validate (and load) a claimed run; see ``engine`` (and ``parallel`` for a split run)."""
    from datamigration import engine

    return engine.execute(run, token=token)


def migration_run_help(*, run_id: int, token: str) -> MigrationRun | None:
    """Process chunks of a split run while ``token`` still holds it; see ``parallel``."""
    from datamigration import parallel

    return parallel.help_run(run_id, token)


def migration_runs_reconcile() -> list[int]:
    """Re-enqueue runs whose worker died (stale heartbeat) or whose message was lost.

    Called when a worker starts and periodically; a duplicate delivery is harmless
    because the claim is a conditional update.
    """
    from datamigration.tasks import migration_run_execute_task

    stale = timezone.now() - timedelta(seconds=conf.lease_seconds())
    ids = list(
        MigrationRun.objects.filter(
            Q(status=MigrationRun.Status.RUNNING, heartbeat_at__lt=stale)
            | Q(status=MigrationRun.Status.QUEUED, created_at__lt=stale)
        ).values_list("pk", flat=True)
    )
    for run_id in ids:
        migration_run_execute_task.delay(run_id)
    return ids


def migration_run_mark_failed(*, run_id: int, error: str) -> None:
    from datamigration import engine

    run = MigrationRun.objects.filter(pk=run_id, status=MigrationRun.Status.RUNNING).first()
    if run is None:
        return
    MigrationRun.objects.filter(pk=run_id, status=MigrationRun.Status.RUNNING).update(
        status=MigrationRun.Status.FAILED, message=error[:2000], finished_at=timezone.now()
    )
    engine.stage_drop(run)


def staged_records_delete(*, object: MasterDataObject, by) -> int:
    """Remove every staged record of an object (e.g. before the final load). Needs RUN_JOBS."""
    require(by, object.project, Capability.RUN_JOBS)
    with transaction.atomic():
        count, _ = StagedRecord.objects.filter(object=object).delete()
    return count
