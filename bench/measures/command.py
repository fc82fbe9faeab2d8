"""``manage.py migrate_masterdata``: its command line, running it, and its final ``RESULT {json}`` line."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from bench.common import PYTHON, ROOT


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
            env=cmd_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        _HELP = proc.stdout + proc.stderr
    return _HELP


def cmd_env() -> dict:
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
    proc = subprocess.run(args, cwd=ROOT, env=cmd_env(), capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    result = parse_result(proc.stdout)
    if result is None:
        log(f"command printed no RESULT line (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return result, wall, proc
