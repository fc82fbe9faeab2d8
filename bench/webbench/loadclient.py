"""A small threaded HTTP load client: ``connections`` threads, each with one request in
flight at a time, for ``duration`` seconds. gunicorn's sync workers close each connection,
so every request opens its own (as a browser or integration would against them)."""

from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import urlsplit

from bench.webbench.measure import percentile


def load(base: str, path: str, *, headers: dict, connections: int, duration: float) -> dict:
    target = urlsplit(base)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker():
        mine, failed = [], []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                conn.request("GET", path, headers=headers)
                answer = conn.getresponse()
                answer.read()
                conn.close()
                if answer.status != 200:
                    failed.append(str(answer.status))
                    continue
            except OSError as exc:
                failed.append(type(exc).__name__)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 50) or 0, 1),
        "p99_ms": round(percentile(latencies, 99) or 0, 1),
    }
