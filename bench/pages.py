#!/usr/bin/env python
"""The page and API benchmark of issue 11: every page and API endpoint at real size.

    .venv/bin/python bench/pages.py                       # everything: ~15-20 min
    .venv/bin/python bench/pages.py --only 'testing:cycle' # some routes (merged into the results)
    .venv/bin/python bench/pages.py --steps throughput     # only the gunicorn comparison

On its own database (``erpimpl_big`` by default; never the test database, never dropped),
migrated first, with two generated projects (``manage.py make_big_project``: ``BIG`` at
scale 1 and ``BIG-S`` at scale 0.2, made when missing), it:

1. enumerates every page of the URL conf and every GET operation of the OpenAPI schema and
   fills their parameters with the projects' rows (``bench/webbench/routes.py``, ``objects.py``);
2. requests each, in process with Django's test client, as a firm user (PM) and a client user
   (key user): queries, median and p95 time, query counts at API page size 10 vs 100 and on
   the small project vs the big one (``runner.py``, ``measure.py``);
3. serves the app with gunicorn and loads two API lists and the bare view returning the
   same rows (``throughput.py``, ``loadclient.py``, ``bare.py``);
4. writes ``bench/pages.json`` and ``bench/PAGES.md`` with pass/fail against the targets
   (``report.py``).

See bench/README.md ("The page and API benchmark").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.common import ROOT, log  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/erpimpl_big"


def _args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", default=os.environ.get("BENCH_PAGES_DATABASE_URL", DEFAULT_DB))
    ap.add_argument("--code", default="BIG", help="the big project (default BIG)")
    ap.add_argument("--scale", type=float, default=1.0, help="its scale when it has to be generated (default 1)")
    ap.add_argument("--small-code", default="BIG-S", help="the small project, for query growth (default BIG-S)")
    ap.add_argument("--small-scale", type=float, default=0.2, help="its scale when generated (default 0.2)")
    ap.add_argument("--no-small", action="store_true", help="leave out the small project (no project-size check)")
    ap.add_argument("--regenerate", action="store_true", help="generate both projects again first")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--steps", default="pages,throughput", help="pages, throughput or both (default both; only pages with --only)"
    )
    ap.add_argument("--only", help="regular expression: measure the routes whose name or URL matches (results merged)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per route and user (default 5)")
    ap.add_argument("--budget", type=float, default=12.0, help="seconds of timed runs per route and user (default 12)")
    ap.add_argument(
        "--slow", type=float, default=1.0, help="a first request slower than this (s) is a timed run, not a warm-up"
    )
    ap.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before one request is cut off and failed (default 30)"
    )
    ap.add_argument("--connections", type=int, default=16, help="load: requests in flight (default 16)")
    ap.add_argument("--duration", type=float, default=15.0, help="load: seconds per target (default 15)")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--results", type=Path, default=HERE / "pages.json")
    ap.add_argument("--report", type=Path, default=HERE / "PAGES.md")
    ap.add_argument("--render-only", action="store_true", help="rewrite the report from the results file")
    args = ap.parse_args()
    if args.only and "--steps" not in sys.argv:
        args.steps = "pages"
    args.steps = {s.strip() for s in args.steps.split(",") if s.strip()}
    return args


def _setup(database_url: str) -> None:
    from bench.environment import prepare_database

    prepare_database(database_url, reset=False)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.webbench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    log("migrating the benchmark database")
    call_command("migrate", interactive=False, verbosity=0)


def _project(code: str, scale: float, seed: int, regenerate: bool):
    from django.core.management import call_command

    from projects.models import Project

    if regenerate or not Project.objects.filter(code=code).exists():
        log(f"generating project {code} at scale {scale:g}")
        started = time.perf_counter()
        call_command("make_big_project", code=code, scale=scale, seed=seed, replace=True)
        log(f"generated {code} in {time.perf_counter() - started:.0f} s")
    return Project.objects.get(code=code)


def _counts(project) -> str:
    from phases.discovery.models import Requirement
    from testing.models import Case, Defect, Execution

    return (
        f"{Requirement.objects.filter(project=project).count():,} requirements, "
        f"{Case.objects.filter(project=project).count():,} test cases, "
        f"{Execution.objects.filter(cycle__project=project).count():,} executions, "
        f"{Defect.objects.filter(project=project).count():,} defects"
    )


def _load() -> float:
    return round(os.getloadavg()[0], 1)


def _git(*args) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def _machine(database_url: str) -> str:
    from bench.environment import hardware

    info = hardware(database_url, os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"))
    return (
        f"{info['nproc']} cores ({info['cpu_model']}), {info['ram_gb']} GB RAM, PostgreSQL {info['postgresql']} "
        f"(shared_buffers {info.get('pg_shared_buffers')}), Python {info['python']}"
    )


def main() -> int:
    args = _args()
    from bench.webbench import report

    if args.render_only:
        report.write(json.loads(args.results.read_text(encoding="utf-8")), args.report)
        log(f"wrote {args.report}")
        return 0
    _setup(args.database_url)
    from bench.webbench import runner, throughput
    from bench.webbench.measure import set_statement_timeout
    from bench.webbench.routes import all_routes

    big = _project(args.code, args.scale, args.seed, args.regenerate)
    small = None if args.no_small else _project(args.small_code, args.small_scale, args.seed, args.regenerate)
    previous = json.loads(args.results.read_text(encoding="utf-8")) if args.results.exists() else {}
    results = {
        "meta": dict(previous.get("meta", {})),
        "routes": previous.get("routes", []),
        "throughput": previous.get("throughput"),
    }
    meta = results["meta"]
    meta.update(
        code=big.code,
        small_code=small.code if small else None,
        big_counts=_counts(big),
        small_counts=_counts(small) if small else "",
        runs=args.runs,
        budget=args.budget,
        slow=args.slow,
        timeout=args.timeout,
        commit=_git("rev-parse", "--short", "HEAD"),
        dirty=bool(_git("status", "--porcelain", "--untracked-files=no")),
        machine=_machine(args.database_url),
    )

    if "pages" in args.steps:
        set_statement_timeout(args.timeout)
        opts = runner.Options(runs=args.runs, timeout=args.timeout, budget=args.budget, slow=args.slow)
        routes = all_routes()
        log(
            f"{len(routes)} routes ({sum(r.kind == 'page' for r in routes)} pages, {sum(r.kind == 'api' for r in routes)} API operations)"
        )
        started, load_started = time.perf_counter(), _load()
        rows = runner.run(routes, big, small, opts, only=args.only)
        seconds = time.perf_counter() - started
        if args.only:
            fresh = {(r["key"], r["user"]) for r in rows}
            results["routes"] = [r for r in results["routes"] if (r["key"], r["user"]) not in fresh] + rows
        else:
            results["routes"] = rows
            meta["pages_seconds"] = seconds
        seats = runner.seats(big, "pm"), runner.seats(big, "key_user")
        meta.update(firm_user=seats[0].user.username, client_user=seats[1].user.username)
        log(f"pages and endpoints measured in {seconds:.0f} s")
        meta["load"] = {"pages": [load_started, _load()]}

    if "throughput" in args.steps:
        from projects.models import Membership
        from projects.services import token_create

        pm = (
            Membership.objects.filter(project=big, role="pm")
            .select_related("user")
            .order_by("user__username")
            .first()
            .user
        )
        _token, key = token_create(user=pm)
        started, load_started = time.perf_counter(), _load()
        results["throughput"] = throughput.run(
            database_url=args.database_url,
            code=big.code,
            token=key,
            workers=args.workers,
            connections=args.connections,
            duration=args.duration,
            port=args.port,
            log_dir=HERE / "out",
        )
        meta["throughput_seconds"] = time.perf_counter() - started
        meta.setdefault("load", {})["throughput"] = [load_started, _load()]

    meta["finished"] = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    args.results.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    report.write(results, args.report)
    log(f"wrote {args.results} and {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
