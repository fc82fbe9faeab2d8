"""API throughput against a bare Django view, through gunicorn.

gunicorn (``--workers`` sync workers) serves the product with the bench settings (the
bare views mounted, connections kept 60 s); a small threaded client (``loadclient``) keeps
``connections`` requests in flight for ``duration`` seconds against each target, after a
short warm-up, with the PM's API token. Each pair compares a page of 50 from the API list
with the bare view answering the same 50 rows (``bare.py``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.common import ROOT, log
from bench.webbench.loadclient import load

#: (label, API list, bare view): the API path with ``?project=`` and ``page_size=50``.
PAIRS = [
    ("defects", "/api/v1/testing/defects/", "/bench/bare/testing/defects/"),
    ("requirements", "/api/v1/discovery/requirements/", "/bench/bare/discovery/requirements/"),
]


def _wait(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds:.0f} s")


def run(
    *,
    database_url: str,
    code: str,
    token: str,
    workers: int,
    connections: int,
    duration: float,
    port: int,
    log_dir: Path,
) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.webbench.settings",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "PYTHONPATH": str(ROOT),
    }
    log_dir.mkdir(parents=True, exist_ok=True)
    gunicorn = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "gunicorn"
    args = [str(gunicorn), "erpimpl.wsgi:application", "--workers", str(workers), "--worker-class", "sync"]
    args += ["--bind", f"127.0.0.1:{port}", "--timeout", "120", "--error-logfile", str(log_dir / "gunicorn.log")]
    log(f"starting gunicorn ({workers} sync workers) on port {port}")
    server = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
    results = {"workers": workers, "connections": connections, "duration_s": duration, "pairs": []}
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/healthz", 60)
        headers = {"Authorization": f"Token {token}"}
        for label, api, bare in PAIRS:
            pair = {"label": label}
            for side, path in (("api", f"{api}?project={code}&page_size=50"), ("bare", f"{bare}?project={code}")):
                load(base, path, headers=headers, connections=connections, duration=2)  # warm-up
                figures = load(base, path, headers=headers, connections=connections, duration=duration)
                figures["path"] = path
                pair[side] = figures
                log(
                    f"{label} {side}: {figures['rps']:.1f} req/s, p50 {figures['p50_ms']:.0f} ms, "
                    f"p99 {figures['p99_ms']:.0f} ms, {figures['errors']} errors"
                )
            pair["ratio"] = round(pair["api"]["rps"] / pair["bare"]["rps"], 3) if pair["bare"]["rps"] else None
            results["pairs"].append(pair)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    return results
