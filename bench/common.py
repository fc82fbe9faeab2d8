"""What every step of the benchmark shares: paths, the generator's settings, logging and figures."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

GENERATOR = (ROOT.parent / "shared" / "data" / "make_masterdata.py").resolve()
if not GENERATOR.exists():  # the work tree may sit elsewhere than next to shared/
    GENERATOR = Path("/work/shared/data/make_masterdata.py")
PARTNERS = 20000
SEED = 7
SMALL_ROWS = 100_000
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/erpimpl_bench"
DEFAULT_BROKER = "redis://127.0.0.1:6379/2"
PYTHON = sys.executable


def log(msg: str) -> None:
    print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}] {msg}", flush=True)


def median(values):
    return statistics.median(values) if values else None


def rate(rows, seconds):
    return round(rows / seconds, 1) if rows and seconds else None


def run_cmd(args, *, timeout, env=None, capture=True, check=True):
    t0 = time.perf_counter()
    proc = subprocess.run(
        args, cwd=ROOT, env=env or os.environ.copy(), timeout=timeout, capture_output=capture, text=True
    )
    elapsed = time.perf_counter() - t0
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc, elapsed
