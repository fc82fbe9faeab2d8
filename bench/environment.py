"""The benchmark's own database, the machine it runs on, and the code under test."""

from __future__ import annotations

import contextlib
import os
import platform
import re
import subprocess
from urllib.parse import urlsplit, urlunsplit

from bench.common import ROOT, log


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def pg_connect(url: str):
    import psycopg2

    return psycopg2.connect(url.replace("postgres://", "postgresql://", 1))


def prepare_database(url: str, reset: bool) -> None:
    name = db_name(url)
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"unexpected database name {name!r}")
    conn = pg_connect(with_db(url, "postgres"))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cur.fetchone() is not None
        if exists and reset:
            if "bench" not in name:
                raise SystemExit(f"refusing to drop {name!r}: the benchmark only resets a database named *bench*")
            log(f"dropping database {name}")
            cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            log(f"creating database {name}")
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def hardware(db_url: str, broker_url: str) -> dict:
    info = {
        "nproc": os.cpu_count(),
        "cpu_model": None,
        "ram_gb": None,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "postgresql": None,
        "redis": None,
    }
    with contextlib.suppress(OSError, ValueError):
        info["nproc"] = int(subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip())
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="ascii") as fh:
            info["ram_gb"] = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    conn = pg_connect(db_url)
    with conn.cursor() as cur:
        cur.execute("SHOW server_version")
        info["postgresql"] = cur.fetchone()[0]
        cur.execute("SHOW shared_buffers")
        info["pg_shared_buffers"] = cur.fetchone()[0]
        cur.execute("SHOW synchronous_commit")
        info["pg_synchronous_commit"] = cur.fetchone()[0]
    conn.close()
    try:
        import redis

        info["redis"] = redis.Redis.from_url(broker_url).info("server").get("redis_version")
    except Exception as exc:
        info["redis"] = f"unavailable: {exc}"
    return info


def code_under_test() -> dict:
    """The commit the run measured, and whether the engine's files differed from it."""

    def git(*a):
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_engine_files": git("status", "--porcelain", "--", "datamigration").splitlines(),
    }
