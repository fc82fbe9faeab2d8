"""Read queries of the datamigration app, shared by dashboard, portal, API and golive.

Public for other apps (golive readiness checks): ``run_list``, ``reconciliation``, and the
readiness figures at the end (``required_objects_for_readiness``, ``latest_loads_for_readiness``).
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

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


# --- readiness figures (public for golive: no user, a readiness job reads them) -----------


def required_objects_for_readiness(*, project: Project):
    """The project's master-data objects required for go-live, in load order, with their project
    (for their links), each annotated with ``load_cycles``: how many distinct cycles (mock1,
    mock2, ..., final) have a succeeded load run of it. A second load in the same cycle (a
    retry) is not a second rehearsal of the load. One query."""
    loads = Q(runs__mode=MigrationRun.Mode.LOAD, runs__status=MigrationRun.Status.SUCCEEDED)
    return (
        MasterDataObject.objects.filter(project=project, required_for_golive=True)
        .select_related("project")
        .annotate(load_cycles=Count("runs__cycle", filter=loads, distinct=True))
        .order_by("load_order", "name")
    )


@dataclass(frozen=True)
class LatestLoad:
    """A required object, its latest finished load run (``None``: never loaded) and the checksum
    of its staged data now (``count:sum of row hashes``, as a load records it)."""

    object: MasterDataObject
    run: MigrationRun | None
    staged_checksum: str

    @property
    def error_rate(self) -> float | None:
        """Rows with errors as a percentage of the rows in the file."""
        if self.run is None or not self.run.total_rows:
            return None
        return 100 * self.run.error_rows / self.run.total_rows

    def reconciliation_problems(self) -> list[str]:
        """Why the load does not reconcile, empty when it does: every row of the file is either
        valid or rejected, every valid row was loaded (inserted, updated or unchanged), and the
        checksum the load recorded is still the checksum of the staged data."""
        run = self.run
        if run is None:
            return []
        problems = []
        if run.total_rows is not None and run.total_rows != run.valid_rows + run.error_rows:
            problems.append(
                _("%(rows)s rows in the file, %(valid)s valid + %(rejected)s rejected")
                % {"rows": run.total_rows, "valid": run.valid_rows, "rejected": run.error_rows}
            )
        loaded = run.inserted_rows + run.updated_rows + run.unchanged_rows
        if loaded != run.valid_rows:
            problems.append(
                _("%(loaded)s rows loaded of %(valid)s valid") % {"loaded": loaded, "valid": run.valid_rows}
            )
        if not run.loaded_checksum:
            problems.append(_("no checksum recorded"))
        elif run.loaded_checksum != self.staged_checksum:
            problems.append(_("the staged data no longer matches the load's checksum"))
        return problems


def _staged_checksums(project: Project, object_ids: list[int]) -> dict[int, str]:
    """``{object id: checksum}`` of the objects' staged data, in one grouped query; the same
    figure as ``engine.finalize.object_checksum`` (an object without records: ``0:000…``)."""
    counts: dict[int, list[int]] = {pk: [0, 0] for pk in object_ids}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT object_id, COUNT(*), COALESCE(SUM(('x' || SUBSTR(checksum, 1, 15))::bit(60)::bigint), 0)"
                " FROM datamigration_stagedrecord WHERE project_id = %s AND object_id = ANY(%s) GROUP BY object_id",
                [project.pk, list(object_ids)],
            )
            for object_id, count, total in cursor.fetchall():
                counts[object_id] = [count, int(total)]
    else:
        rows = StagedRecord.objects.filter(project_id=project.pk, object_id__in=object_ids)
        for object_id, checksum in rows.values_list("object_id", "checksum").iterator(chunk_size=10_000):
            counts[object_id][0] += 1
            counts[object_id][1] += int(checksum[:15], 16)
    return {pk: f"{count}:{total % (1 << 64):016x}" for pk, (count, total) in counts.items()}


def latest_loads_for_readiness(*, project: Project) -> list[LatestLoad]:
    """Each required object with its latest finished load run (succeeded, failed or cancelled;
    one still running does not count yet) and its staged data's checksum. Three queries
    whatever the number of objects and runs."""
    latest = (
        MigrationRun.objects.filter(
            object_id=OuterRef("pk"), mode=MigrationRun.Mode.LOAD, status__in=MigrationRun.TERMINAL
        )
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    objects = list(
        MasterDataObject.objects.filter(project=project, required_for_golive=True)
        .select_related("project")
        .annotate(latest_load=Subquery(latest))
        .order_by("load_order", "name")
    )
    if not objects:
        return []
    runs = MigrationRun.objects.select_related("project").in_bulk([o.latest_load for o in objects if o.latest_load])
    checksums = _staged_checksums(project, [o.pk for o in objects])
    return [LatestLoad(object=o, run=runs.get(o.latest_load), staged_checksum=checksums[o.pk]) for o in objects]
