"""Read queries of the datamigration app, shared by dashboard, portal, API and golive.

Public for other apps (golive readiness checks): ``run_list``, ``reconciliation``.
"""

from django.db.models import Count, Max, Q, Sum
from django.shortcuts import get_object_or_404

from datamigration.models import MasterDataObject, MigrationRun, RowError, RunChunk, StagedRecord, Upload
from projects.models import Project
from projects.selectors import get_in_project


def ensure_builtin_objects(*, user) -> None:
    """Projects the user sees get the built-in objects on first use."""
    from datamigration.services.objects import builtin_objects_ensure

    missing = Project.objects.visible_to(user).exclude(masterdata_objects__builtin=True)
    for project in missing[:50]:
        builtin_objects_ensure(project=project)


def object_list(*, user, project: Project | None = None):
    if project is not None:
        from datamigration.services.objects import builtin_objects_ensure

        builtin_objects_ensure(project=project)
    else:
        ensure_builtin_objects(user=user)
    qs = MasterDataObject.objects.visible_to(user).select_related("project").prefetch_related("fields")
    if project is not None:
        qs = qs.filter(project=project)
    return qs.order_by("project", "load_order", "name")


def object_get(*, user, project: Project, name: str) -> MasterDataObject:
    """The project's object ``name`` (objects are named in URLs), among those the user sees; else 404."""
    return get_object_or_404(object_list(user=user, project=project), name=name)


def object_by_name(*, project: Project, name: str) -> MasterDataObject | None:
    """The project's object ``name`` (the caller has checked the project), or ``None``."""
    return MasterDataObject.objects.filter(project=project, name=name).first()


def object_names(*, project: Project) -> list[str]:
    return list(MasterDataObject.objects.filter(project=project).values_list("name", flat=True))


def visible_object(*, user, project_code: str, name: str) -> MasterDataObject | None:
    """The object ``name`` of the project ``project_code``, if the user sees it."""
    return (
        MasterDataObject.objects.visible_to(user)
        .filter(project__code=project_code, name=name)
        .select_related("project")
        .first()
    )


def object_fields(obj: MasterDataObject):
    """The object's field definitions in order, with the objects they refer to."""
    return obj.fields.select_related("reference_object")


def field_names(obj: MasterDataObject, *, required: bool = False) -> list[str]:
    """The object's field names in order (``required``: only the required ones)."""
    fields = obj.fields.filter(required=True) if required else obj.fields.all()
    return list(fields.values_list("name", flat=True))


def object_summaries(*, user, project: Project):
    """Each object with its staged record count and last run."""
    objects = list(object_list(user=user, project=project))
    for obj in objects:  # one index-only count per object (the unique index leads with project, object)
        obj.record_count = StagedRecord.objects.filter(project_id=project.pk, object_id=obj.pk).count()
    last_runs = {}
    for run in MigrationRun.objects.visible_to(user).filter(project=project).order_by("object_id", "-created_at"):
        last_runs.setdefault(run.object_id, run)
    for obj in objects:
        obj.last_run = last_runs.get(obj.pk)
    return objects


def upload_list(*, user, project: Project | None = None):
    qs = Upload.objects.visible_to(user).select_related("project", "object", "uploaded_by")
    return qs.filter(project=project) if project is not None else qs


def upload_get(*, user, project: Project | None, pk: int) -> Upload:
    return get_in_project(upload_list(user=user), project=project, pk=pk)


def run_list(*, user, project: Project | None = None):
    qs = MigrationRun.objects.visible_to(user).select_related("project", "object", "upload", "started_by")
    return qs.filter(project=project) if project is not None else qs


def run_get(*, user, project: Project | None, pk: int) -> MigrationRun:
    return get_in_project(run_list(user=user), project=project, pk=pk)


def run_by_id(*, run_id: int) -> MigrationRun:
    """The run as it is now (unscoped: for a command or a worker that holds its id)."""
    return MigrationRun.objects.get(pk=run_id)


def row_error_list(*, run: MigrationRun, field: str = "", kind: str = ""):
    qs = RowError.objects.filter(run=run).order_by("row", "field")
    if field:
        qs = qs.filter(field=field)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def row_error_summary(*, run: MigrationRun) -> list[dict]:
    return list(RowError.objects.filter(run=run).values("field", "kind").annotate(n=Count("id")).order_by("-n"))


def record_list(
    *, user, project: Project | None = None, object: MasterDataObject | None = None, key_contains: str = ""
):
    qs = StagedRecord.objects.visible_to(user).select_related("project", "object")
    if project is not None:
        qs = qs.filter(project=project)
    if object is not None:
        qs = qs.filter(project_id=object.project_id, object=object)
    if key_contains:
        qs = qs.filter(key__icontains=key_contains)
    return qs


def reconciliation(*, user, project: Project) -> list[dict]:
    """Per object and cycle, the latest finished run's figures: comparable across cycles."""
    runs = run_list(user=user, project=project).filter(status=MigrationRun.Status.SUCCEEDED)
    latest = runs.values("object__name", "cycle", "mode").annotate(last=Max("pk"))
    by_pk = {r.pk: r for r in runs.filter(pk__in=[row["last"] for row in latest])}
    rows = []
    for row in sorted(latest, key=lambda r: (r["object__name"], r["cycle"], r["mode"])):
        run = by_pk[row["last"]]
        rows.append(
            {
                "object": row["object__name"],
                "cycle": row["cycle"],
                "mode": run.mode,
                "run": run,
                "rows": run.total_rows or 0,
                "valid": run.valid_rows,
                "rejected": run.error_rows,
                "loaded": run.inserted_rows + run.updated_rows + run.unchanged_rows,
                "checksum": run.loaded_checksum,
            }
        )
    return rows


def reconciliation_chart(rows: list[dict]) -> dict:
    labels = [f"{r['object']} · {r['cycle']} · {r['mode']}" for r in rows]
    return {
        "labels": labels,
        "datasets": [
            {"label": "valid", "data": [r["valid"] for r in rows]},
            {"label": "rejected", "data": [r["rejected"] for r in rows]},
        ],
    }


def active_runs(*, user, project: Project):
    return run_list(user=user, project=project).filter(
        Q(status=MigrationRun.Status.QUEUED) | Q(status=MigrationRun.Status.RUNNING)
    )


def run_chunk_summary(run: MigrationRun) -> dict | None:
    """How far the chunks of a run split across workers are, and who committed them.

    ``None`` for a run on one worker. ``total`` is ``None`` while the file is being split.
    """
    if run.workers <= 1:
        return None
    counts = RunChunk.objects.filter(run=run).aggregate(
        split=Count("pk"),
        committed=Count("pk", filter=Q(committed_at__isnull=False)),
        in_progress=Count("pk", filter=Q(committed_at__isnull=True, claimed_at__isnull=False)),
    )
    total = run.chunk_total or counts["split"] or 0
    return {
        "total": run.chunk_total,
        **counts,
        "committed_percent": round(counts["committed"] * 100 / total) if total else 0,
        "in_progress_percent": round(counts["in_progress"] * 100 / total) if total else 0,
        "by_worker": chunks_by_worker(run),
    }


def chunks_by_worker(run: MigrationRun) -> list[dict]:
    """``[{"worker", "chunks", "rows"}]``: what each worker process committed, most first."""
    return list(
        RunChunk.objects.filter(run=run, committed_at__isnull=False)
        .values("worker")
        .annotate(chunks=Count("pk"), rows=Sum("rows"))
        .order_by("-chunks", "worker")
    )
