"""Memory of processes: peak RSS of a process tree, from ``/proc`` (Linux)."""

from __future__ import annotations

import os
import threading


def proc_status_kb(pid: int, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants (from /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def reset_peak_rss(pids) -> None:
    """Reset VmHWM (peak RSS) of each process: Linux's clear_refs "5"."""
    for p in pids:
        try:
            with open(f"/proc/{p}/clear_refs", "w") as fh:
                fh.write("5")
        except OSError:
            pass


class RssSampler:
    """Samples the RSS of a process tree every ``interval`` s; keeps per-process peaks."""

    def __init__(self, root_pid: int, interval: float = 0.2):
        self.root_pid, self.interval = root_pid, interval
        self.peak_kb: dict[int, int] = {}
        self.peak_total_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            total = 0
            for p in process_tree(self.root_pid):
                rss = proc_status_kb(p, "VmRSS") or 0
                hwm = proc_status_kb(p, "VmHWM") or 0
                total += rss
                self.peak_kb[p] = max(self.peak_kb.get(p, 0), rss, hwm)
            self.peak_total_kb = max(self.peak_total_kb, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        reset_peak_rss(process_tree(self.root_pid))
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        for p in process_tree(self.root_pid):  # the kernel's own peak, between samples too
            hwm = proc_status_kb(p, "VmHWM") or 0
            self.peak_kb[p] = max(self.peak_kb.get(p, 0), hwm)

    def result(self) -> dict:
        return {
            "peak_rss_mb_max_process": round(max(self.peak_kb.values(), default=0) / 1024, 1),
            "peak_rss_mb_tree_sampled": round(self.peak_total_kb / 1024, 1),
            "processes": {str(p): round(kb / 1024, 1) for p, kb in sorted(self.peak_kb.items())},
        }
