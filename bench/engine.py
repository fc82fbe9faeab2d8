"""Step 4 of the benchmark: erpimpl's own migration job, through a real Celery worker.

Called by ``bench/run.py`` once ``manage.py migrate_masterdata`` exists. Everything the
engine is asked goes through its public doors: the management command (which prints a
final ``RESULT {json}`` line), its services (built-in objects, cancel) or its REST API;
the benchmark only *reads* the run's row to watch progress, like the UI's progress bar.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import subprocess
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from bench.run import PYTHON, ROOT, RssSampler, process_tree, rate

WORKER_READY_TIMEOUT = 90


# --- the worker --------------------------------------------------------------------------------
class Worker:
    """A real ``celery -A erpimpl worker`` subprocess against the benchmark's database and broker."""

    def __init__(self, *, pool: str, concurrency: int, logfile: Path, log):
        self.pool, self.concurrency, self.logfile, self.log = pool, concurrency, logfile, log
        self.proc: subprocess.Popen | None = None

    @property
    def description(self) -> str:
        return f"celery -A erpimpl worker -Q migrations,default -P {self.pool}" + (
            f" --concurrency {self.concurrency}" if self.pool == "prefork" else ""
        )

    def env(self) -> dict:
        env = os.environ.copy()
        env["DJANGO_SETTINGS_MODULE"] = "erpimpl.settings"
        return env

    def start(self):
        celery = str(Path(PYTHON).with_name("celery"))
        subprocess.run(
            [celery, "-A", "erpimpl", "purge", "-f", "-Q", "migrations,default"],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            timeout=60,
        )
        args = [celery, "-A", "erpimpl", "worker", "-Q", "migrations,default", "-P", self.pool]
        args += ["--concurrency", str(self.concurrency if self.pool == "prefork" else 1)]
        args += ["-n", f"bench-{os.getpid()}@%h", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
        self.logfile.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.logfile, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(args, cwd=ROOT, env=self.env(), stdout=self._fh, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + WORKER_READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited with {self.proc.returncode}; see {self.logfile}")
            if " ready." in self.logfile.read_text(errors="replace"):
                self.log(f"worker ready (pid {self.proc.pid}, {self.description})")
                return
            time.sleep(0.3)
        raise RuntimeError(f"worker not ready after {WORKER_READY_TIMEOUT} s; see {self.logfile}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # warm shutdown
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                for pid in reversed(process_tree(self.proc.pid)):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, 9)
                self.proc.wait(timeout=10)
        if getattr(self, "_fh", None):
            self._fh.close()


# --- seeding -----------------------------------------------------------------------------------
def bench_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "email": "bench@localhost"}
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def bench_project(code: str, user):
    from projects import services
    from projects.models import Project

    project = Project.objects.filter(code=code).first()
    if project is None:
        today = date.today()
        project = services.project_create(
            by=user,
            code=code,
            name=f"Benchmark {code}",
            client_name="Benchmark",
            planned_start=today,
            planned_golive=today + timedelta(days=180),
        )
    ensure_builtin_objects(project, user)
    return project


def _call_flexibly(fn, **available):
    """Call ``fn`` with the keyword arguments it declares among ``available``."""
    params = inspect.signature(fn).parameters
    return fn(**{k: v for k, v in available.items() if k in params})


def ensure_builtin_objects(project, user) -> str:
    """Seed the built-in master data objects through the engine's service, if it has one."""
    try:
        from datamigration import services
    except ImportError:
        return "no datamigration.services: the command is expected to create the objects"
    for name in ("builtin_objects_ensure", "masterdata_objects_seed", "builtin_objects_seed"):
        fn = getattr(services, name, None)
        if fn:
            _call_flexibly(fn, project=project, by=user, user=user)
            return f"datamigration.services.{name}"
    return "no seeding service found: the command is expected to create the objects"


# --- watching a run ----------------------------------------------------------------------------
PROGRESS_FIELDS = ("status", "processed_rows", "valid_rows", "error_rows", "heartbeat_at")


class RunWatcher:
    """Polls the newest run of (project, object) created after ``since``; records its progress writes."""

    def __init__(self, project_id: int, object_name: str, since, interval: float = 0.1):
        self.project_id, self.object_name, self.since, self.interval = project_id, object_name, since, interval
        self.samples: list[tuple[float, dict]] = []
        self.run_id = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        from django.db import connection

        from datamigration.models import MigrationRun

        try:
            while not self._stop.is_set():
                qs = MigrationRun.objects.filter(
                    project_id=self.project_id, object__name=self.object_name, created_at__gte=self.since
                )
                if self.run_id:
                    qs = qs.filter(pk=self.run_id)
                row = qs.order_by("-pk").values("pk", *PROGRESS_FIELDS).first()
                now = time.monotonic()
                if row:
                    self.run_id = row.pop("pk")
                    if not self.samples or self.samples[-1][1] != row:
                        self.samples.append((now, row))
                self._stop.wait(self.interval)
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def wait_for(self, predicate, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.samples and predicate(self.samples[-1][1]):
                return self.samples[-1][1]
            time.sleep(0.02)
        return None

    def progress(self) -> dict:
        """Longest gaps between progress writes seen while the run was running."""
        running = [(t, s) for t, s in self.samples if s["status"] == "running"]
        if not running:
            return {"samples": len(self.samples), "max_interval_s": None}
        end = next((t for t, s in self.samples if s["status"] not in ("queued", "running")), running[-1][0])
        any_write = [t for t, _ in running] + [end]
        processed, last = [], None
        for t, s in running:
            if s["processed_rows"] != last:
                processed.append(t)
                last = s["processed_rows"]
        processed.append(end)

        def max_gap(times):
            return round(max((b - a for a, b in zip(times, times[1:], strict=False)), default=0.0), 2)

        times = [t for t, _ in running]
        gaps = [(b - a, i) for i, (a, b) in enumerate(zip(any_write, any_write[1:], strict=False))]
        widest = max(gaps, default=(0.0, 0))[1]
        return {
            "samples": len(self.samples),
            "max_gap_starts_s_after_start": round(any_write[widest] - times[0], 2) if times else None,
            "max_gap_starts_at_processed_rows": running[widest][1]["processed_rows"] if widest < len(running) else None,
            "poll_interval_s": self.interval,
            "writes_seen": len(running),
            "max_interval_s": max_gap(any_write),
            "max_interval_processed_rows_s": max_gap(processed),
            "running_seconds": round(end - running[0][0], 2),
        }


# --- the management command --------------------------------------------------------------------
def migrate_command(
    project, object_name: str, path: Path, *, validate_only=False, cycle="mock1", user=None, workers=None
):
    args = [PYTHON, "manage.py", "migrate_masterdata", "--project", project.code, "--object", object_name]
    args += ["--file", str(path), "--cycle", cycle]
    if validate_only:
        args.append("--validate-only")
    if workers is not None:
        args += ["--workers", str(workers)]
    if user is not None and "--user" in command_help():
        args += ["--user", user.username]
    return args


_HELP = None


def command_help() -> str:
    global _HELP
    if _HELP is None:
        proc = subprocess.run(
            [PYTHON, "manage.py", "migrate_masterdata", "--help"],
            cwd=ROOT,
            env=_cmd_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        _HELP = proc.stdout + proc.stderr
    return _HELP


def _cmd_env() -> dict:
    env = os.environ.copy()
    env["DJANGO_SETTINGS_MODULE"] = "erpimpl.settings"
    return env


def parse_result(stdout: str) -> dict | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    return None


def run_command(args, timeout: float, log) -> tuple[dict | None, float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, env=_cmd_env(), capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    result = parse_result(proc.stdout)
    if result is None:
        log(f"command printed no RESULT line (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return result, wall, proc


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


# --- cancel ------------------------------------------------------------------------------------
def request_cancel(run_id, user) -> str:
    """Ask the engine to cancel: its service if it has one, else its REST API."""
    from datamigration.models import MigrationRun

    run = MigrationRun.objects.get(pk=run_id)
    with contextlib.suppress(ImportError):
        from datamigration import services

        for name in ("run_cancel", "migration_run_cancel", "migrationrun_cancel"):
            fn = getattr(services, name, None)
            if fn:
                _call_flexibly(fn, run=run, migration_run=run, by=user, user=user)
                return f"datamigration.services.{name}"
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    response = client.post(f"/api/v1/datamigration/runs/{run_id}/cancel/", HTTP_HOST="127.0.0.1")
    if response.status_code >= 400:
        raise RuntimeError(f"cancel answered {response.status_code}: {response.content[:300]!r}")
    return f"POST /api/v1/datamigration/runs/{{id}}/cancel/ ({response.status_code})"


def cancel_latency(project, files, worker, timeout, log, user) -> dict:
    from django.utils import timezone

    since = timezone.now()
    args = migrate_command(project, "products", files["products"], validate_only=False, user=user)
    proc = subprocess.Popen(args, cwd=ROOT, env=_cmd_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = {"file": files["products"].name}
    try:
        with RunWatcher(project.pk, "products", since, interval=0.05) as watch:
            state = watch.wait_for(lambda s: s["status"] == "running" and s["processed_rows"] > 0, timeout=120)
            if state is None:
                out["error"] = "the run did not start processing within 120 s"
                return out
            out["processed_rows_at_cancel"] = state["processed_rows"]
            t0 = time.monotonic()
            try:
                out["cancel_via"] = request_cancel(watch.run_id, user)
            except Exception as exc:  # e.g. the run finished before the request (a small file)
                out["error"] = f"cancel refused: {exc}"
                return out
            done = watch.wait_for(lambda s: s["status"] in ("cancelled", "succeeded", "failed"), timeout=60)
            latency = time.monotonic() - t0
            out["run_id"] = watch.run_id
            out["final_status"] = done["status"] if done else "still running after 60 s"
            out["latency_s"] = round(latency, 2) if done and done["status"] == "cancelled" else None
            out["processed_rows_at_end"] = (done or state)["processed_rows"]
        try:
            stdout, _ = proc.communicate(timeout=60)
            out["command_exit_code"] = proc.returncode
            out["command_result"] = parse_result(stdout)
        except subprocess.TimeoutExpired:
            out["command_exit_code"] = "did not exit within 60 s of the cancel"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log(f"cancel: {out.get('final_status')} {out.get('latency_s')} s after the request (via {out.get('cancel_via')})")
    return out


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
