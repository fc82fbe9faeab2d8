"""Cancel latency: a load of the big file cancelled while it runs, timed until it is ``cancelled``."""

from __future__ import annotations

import contextlib
import subprocess
import time

from bench.common import ROOT
from bench.measures.command import cmd_env, migrate_command, parse_result
from bench.measures.seeding import call_flexibly
from bench.measures.watch import RunWatcher


def request_cancel(run_id, user) -> str:
    """Ask the engine to cancel: its service if it has one, else its REST API."""
    from datamigration.models import MigrationRun

    run = MigrationRun.objects.get(pk=run_id)
    with contextlib.suppress(ImportError):
        from datamigration import services

        for name in ("run_cancel", "migration_run_cancel", "migrationrun_cancel"):
            fn = getattr(services, name, None)
            if fn:
                call_flexibly(fn, run=run, migration_run=run, by=user, user=user)
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
    proc = subprocess.Popen(args, cwd=ROOT, env=cmd_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
