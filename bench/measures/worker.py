"""The real ``celery -A erpimpl worker`` the engine's runs go through, started by the benchmark."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path

from bench.common import PYTHON, ROOT
from bench.procs import process_tree

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
