"""Step 4 of the benchmark: erpimpl's own migration job, through a real Celery worker.

Run by ``bench/run.py`` once ``manage.py migrate_masterdata`` exists. Everything the
engine is asked goes through its public doors: the management command (which prints a
final ``RESULT {json}`` line), its services (built-in objects, cancel) or its REST API;
the benchmark only *reads* the run's row to watch progress, like the UI's progress bar.
"""

from __future__ import annotations

from bench.common import ROOT, log, rate
from bench.measures.cancel import cancel_latency
from bench.measures.command import migrate_command, run_command
from bench.measures.seeding import bench_project, bench_user, ensure_builtin_objects
from bench.measures.watch import RunWatcher
from bench.measures.worker import Worker
from bench.procs import RssSampler


def available() -> tuple[bool, str]:
    cmd = ROOT / "datamigration" / "management" / "commands" / "migrate_masterdata.py"
    if not cmd.exists():
        return False, "engine not available: datamigration/management/commands/migrate_masterdata.py does not exist"
    return True, ""


def bench(args, small: dict, big: dict) -> dict:
    """The whole step, or why the engine cannot be measured."""
    ok, why = available()
    if not ok:
        log(why)
        return {"status": "engine not available", "reason": why}
    return run(args, small=small, big=big, log=log)


def run_times(run_id) -> dict:
    from datamigration.models import MigrationRun

    run = MigrationRun.objects.get(pk=run_id)
    out = {
        "status": run.status,
        "total_rows": run.total_rows,
        "valid_rows": run.valid_rows,
        "error_rows": run.error_rows,
        "error_count": run.error_count,
        "worker": run.worker,
        "engine_rows_per_second": run.rows_per_second,
        "inserted_rows": run.inserted_rows,
        "updated_rows": run.updated_rows,
        "unchanged_rows": run.unchanged_rows,
    }
    if run.finished_at:
        out["queued_to_finished_s"] = round((run.finished_at - run.created_at).total_seconds(), 3)
        if run.started_at:
            out["started_to_finished_s"] = round((run.finished_at - run.started_at).total_seconds(), 3)
            out["queue_wait_s"] = round((run.started_at - run.created_at).total_seconds(), 3)
    return out


def compare_errors(run_id, expected: list[dict]) -> dict:
    from datamigration.models import RowError

    got = set(RowError.objects.filter(run_id=run_id).values_list("row", "field", "kind"))
    want = {(e["row"], e["field"], e["kind"]) for e in expected}
    missing, extra = sorted(want - got), sorted(got - want)
    return {
        "injected": len(want),
        "reported": len(got),
        "missing": len(missing),
        "extra": len(extra),
        "missing_sample": missing[:10],
        "extra_sample": extra[:10],
        "match": not missing and not extra,
    }


def measured_run(
    project, object_name, path, *, rows, validate_only, worker, timeout, log, user, expected=None, workers=None
):
    """One run through the command, with its progress watched and the worker's RSS sampled.

    ``workers``: how many worker processes may share the run's chunks (``--workers``).
    """
    from django.utils import timezone

    since = timezone.now()
    args = migrate_command(project, object_name, path, validate_only=validate_only, user=user, workers=workers)
    with RssSampler(worker.proc.pid) as rss, RunWatcher(project.pk, object_name, since) as watch:
        result, wall, proc = run_command(args, timeout, log)
    run_id = (result or {}).get("run_id") or (result or {}).get("run") or (result or {}).get("id") or watch.run_id
    out = {
        "object": object_name,
        "mode": "validate" if validate_only else "load",
        "file": path.name,
        "rows": rows,
        "wall_seconds": round(wall, 3),
        "exit_code": proc.returncode,
        "result": result,
        "run_id": run_id,
        "workers": (result or {}).get("workers", 1),
        "chunks_by_worker": (result or {}).get("chunks_by_worker"),
    }
    if run_id:
        out.update(run_times(run_id))
    out["seconds"] = out.get("queued_to_finished_s") or (result or {}).get("seconds") or wall
    out["rows_per_s"] = rate(rows, out["seconds"])
    out["status"] = out.get("status") or (result or {}).get("status")
    rss_res = rss.result()
    out["peak_rss_mb"] = rss_res["peak_rss_mb_max_process"]
    out["rss"] = rss_res
    out["progress"] = watch.progress()
    if expected is not None and run_id:
        cmp = compare_errors(run_id, expected)
        out["errors_vs_manifest"] = cmp
        out["errors_match_manifest"] = cmp["match"]
        out["errors_detail"] = (
            f"{cmp['reported']} reported / {cmp['injected']} injected, {cmp['missing']} missing, {cmp['extra']} extra"
        )
    log(
        f"{object_name} {out['mode']} {rows:,} rows on {out['workers']} worker(s): {out['status']} in {out['seconds']:.1f} s "
        f"(command {wall:.1f} s), {out['rows_per_s'] or 0:,.0f} rows/s, peak RSS {out['peak_rss_mb']} MB, "
        f"progress max gap {out['progress'].get('max_interval_s')} s"
        + (f", errors: {out['errors_detail']}" if "errors_detail" in out else "")
    )
    return out


def load_references(project, files: dict, worker, timeout, log, user) -> list[dict]:
    loads = []
    for name in ("uom", "tax_codes", "vendors"):
        path = files[name]
        with open(path, encoding="utf-8") as fh:
            rows = sum(1 for _ in fh) - 1
        loads.append(
            measured_run(
                project, name, path, rows=rows, validate_only=False, worker=worker, timeout=timeout, log=log, user=user
            )
        )
    return loads


# --- the whole step ----------------------------------------------------------------------------
def size_figures(project, files, worker, timeout, log, user, split_workers=0) -> dict:
    """Validate-only and load runs of the products file on one worker process, and with
    ``split_workers`` > 1 the same two runs split across that many (the load starts again
    from no staged products, so both loads insert every valid row)."""
    refs = load_references(project, files, worker, timeout, log, user)
    fig = {"project": project.code, "references": refs}
    kinds = [("validate", 1), ("load", 1)]
    if split_workers > 1:
        kinds += [("split_validate", split_workers), ("split_load", split_workers)]
    for kind, workers in kinds:
        if kind == "split_load":
            from datamigration import services
            from datamigration.models import MasterDataObject

            products = MasterDataObject.objects.get(project=project, name="products")
            services.staged_records_delete(object=products, by=user)
        fig[kind] = measured_run(
            project,
            "products",
            files["products"],
            rows=files["rows"],
            validate_only=kind.endswith("validate"),
            worker=worker,
            timeout=timeout,
            log=log,
            user=user,
            expected=files["errors"],
            workers=workers,
        )
    runs = [fig[kind] for kind, _ in kinds]
    fig["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    fig["progress"] = {
        "max_interval_s": max((r["progress"].get("max_interval_s") or 0) for r in runs),
        "max_interval_processed_rows_s": max((r["progress"].get("max_interval_processed_rows_s") or 0) for r in runs),
    }
    return fig


def run(args, *, small: dict, big: dict, log) -> dict:
    """Each file size, then the cancel test, each with a freshly started worker."""
    import django

    django.setup()
    user = bench_user()
    worker = Worker(pool=args.pool, concurrency=args.concurrency, logfile=args.out / "worker.log", log=log)
    out = {"status": "ok", "worker": worker.description, "notes": [], "failures": {}}
    parts = [("small", small)] + ([("big", big)] if big is not small else [])
    for key, files in [*parts, ("cancel", big)]:
        worker.logfile = args.out / f"worker-{key}.log"
        try:
            worker.start()
            project = bench_project(f"BENCH-{files['rows']}", user)
            out.setdefault("seeding", ensure_builtin_objects(project, user))
            if key == "cancel":  # a load of the big file again, in its project (references loaded)
                out[key] = cancel_latency(project, files, worker, args.run_timeout, log, user)
            else:
                split = args.split_workers if key == "big" else 0
                out[key] = size_figures(project, files, worker, args.run_timeout, log, user, split)
        except Exception:
            import traceback

            out["failures"][key] = traceback.format_exc()
            log(f"engine part {key} failed:\n{out['failures'][key]}")
        finally:
            worker.stop()
    out["notes"] = notes(out)
    return out


def notes(out: dict) -> list[str]:
    lines = [
        f"Worker: `{out['worker']}` (started by the benchmark; peak RSS is the highest VmHWM of any of "
        "its processes during the run, reset before each run)."
    ]
    lines.append(f"Built-in objects seeded via {out.get('seeding')}.")
    for key in ("small", "big"):
        fig = out.get(key)
        if not fig:
            continue
        for kind in ("validate", "load", "split_validate", "split_load"):
            r = fig.get(kind)
            if r is None:
                continue
            p = r["progress"]
            lines.append(
                f"{fig['project']} products {kind}: run #{r.get('run_id')} {r.get('status')}, "
                f"queued → finished {r.get('queued_to_finished_s')} s (queue wait {r.get('queue_wait_s')} s), "
                f"command wall {r['wall_seconds']} s; valid {r.get('valid_rows')}, rows with errors "
                f"{r.get('error_rows')}; {r.get('errors_detail', '')}; progress writes: max gap "
                f"{p.get('max_interval_s')} s (processed rows: {p.get('max_interval_processed_rows_s')} s); "
                f"peak RSS {r['peak_rss_mb']} MB"
                + (f"; chunks committed by worker process: {r.get('chunks_by_worker')}" if r["workers"] > 1 else "")
            )
        refs = ", ".join(
            f"{r['object']} {r['rows']:,} rows {r.get('status')} in {r['seconds']:.1f} s" for r in fig["references"]
        )
        lines.append(f"{fig['project']} references loaded first: {refs}.")
    c = out.get("cancel") or {}
    if c.get("error"):
        lines.append(
            f"Cancel: not measured: {c['error']} (processed rows when asked: {c.get('processed_rows_at_cancel')})."
        )
    elif c:
        lines.append(
            f"Cancel: load of {c.get('file')} cancelled via {c.get('cancel_via')} at "
            f"{c.get('processed_rows_at_cancel')} processed rows; status {c.get('final_status')} "
            f"{c.get('latency_s')} s after the request; command exit {c.get('command_exit_code')}."
        )
    return lines
