"""A watcher of a run's row: its progress writes as the UI's progress bar would see them."""

from __future__ import annotations

import threading
import time

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
