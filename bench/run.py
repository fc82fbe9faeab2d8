#!/usr/bin/env python
"""The master data migration benchmark of issue 3 ("Figures"), in one run.

    .venv/bin/pip install -r bench/requirements.txt     # once: the django-import-export baseline
    .venv/bin/python bench/run.py --rows 1000000

What it does, on PostgreSQL (a dedicated database, ``erpimpl_bench`` by default, dropped and
created again at the start) and Redis (the Celery broker):

1. generates the products files with ``shared/data/make_masterdata.py --dirty --seed 7``
   (100k rows and ``--rows`` rows; cached in ``bench/out/``);
2. baselines A and B: ``COPY`` of the products file into an unindexed table (A) and into a
   table indexed and constrained like a Django target (B), medians of ``--repeats``;
3. baseline C: django-import-export with bulk options and cached foreign-key lookups;
4. erpimpl's own job through a real Celery worker and ``manage.py migrate_masterdata``;
5. XLSX read speed of a 100k-row file;
6. writes ``bench/results.json`` (raw) and ``bench/RESULTS.md`` (figures, ratios, pass/fail).

See bench/README.md for what each figure means. Every step is bounded in time; a step that
cannot run (e.g. the engine is not there yet) is reported as such and the others go on.

This file is the command line; the steps are in ``bench/measures/`` (copy_baselines, die,
engine, xlsx), the files in ``bench/files.py`` and the report in ``bench/report.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.common import DEFAULT_BROKER, DEFAULT_DB, PYTHON, ROOT, SMALL_ROWS, log, run_cmd  # noqa: E402
from bench.environment import code_under_test, hardware, prepare_database  # noqa: E402
from bench.files import ensure_files  # noqa: E402
from bench.measures import copy_baselines, die, engine, xlsx  # noqa: E402
from bench.report import evaluate, write_report  # noqa: E402


# --- main --------------------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the big products file (default 1,000,000)")
    ap.add_argument("--small-rows", type=int, default=SMALL_ROWS, help="rows of the small file (default 100,000)")
    ap.add_argument("--repeats", type=int, default=3, help="repeats of the COPY and import-export baselines (median)")
    ap.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    ap.add_argument("--broker-url", default=os.environ.get("BENCH_BROKER_URL", DEFAULT_BROKER))
    ap.add_argument("--keep-db", action="store_true", help="do not drop and re-create the benchmark database")
    ap.add_argument("--pool", choices=["prefork", "solo"], default="prefork", help="Celery pool of the worker")
    ap.add_argument("--concurrency", type=int, default=2, help="worker processes with --pool prefork")
    ap.add_argument(
        "--split-workers",
        type=int,
        default=2,
        help="also run the big file split across this many worker processes (0: skip)",
    )
    ap.add_argument("--die-budget", type=float, default=900, help="seconds allowed to one django-import-export run")
    ap.add_argument("--run-timeout", type=float, default=900, help="seconds allowed to one engine run")
    ap.add_argument("--skip", action="append", default=[], choices=["copy", "die", "engine", "xlsx"])
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--results", type=Path, default=HERE / "results.json")
    ap.add_argument("--report", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--render-only", action="store_true", help="rewrite the report from the results file")
    ap.add_argument("--child-die", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child_die:
        die.child(args.child_die)
        return 0
    if args.render_only:
        results = json.loads(args.results.read_text(encoding="utf-8"))
        results["targets"] = evaluate(results)
        write_report(results, args.report)
        return 0

    started = dt.datetime.now(dt.UTC)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["CELERY_BROKER_URL"] = args.broker_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("DEBUG", "0")
    results: dict = {
        "started_at": started.isoformat(timespec="seconds"),
        "command": "python bench/run.py " + " ".join(sys.argv[1:]),
        "rows": args.rows,
        "small_rows": args.small_rows,
        "code": code_under_test(),
        "failures": {},
    }

    def save():
        results["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        results["targets"] = evaluate(results)
        args.results.write_text(json.dumps(results, indent=1, default=str, ensure_ascii=False), encoding="utf-8")
        write_report(results, args.report)

    prepare_database(args.database_url, reset=not args.keep_db)
    log("migrating the benchmark database")
    _, secs = run_cmd(
        [PYTHON, "manage.py", "migrate", "--noinput", "--skip-checks", "--settings=bench.settings"], timeout=900
    )
    log(f"migrated in {secs:.0f} s")
    results["hardware"] = hardware(args.database_url, args.broker_url)
    log(f"hardware: {results['hardware']}")

    import django

    django.setup()

    args.out.mkdir(parents=True, exist_ok=True)
    sizes = sorted({args.small_rows, args.rows})
    files = {n: ensure_files(args.out, n) for n in sizes}
    small, big = files[args.small_rows], files[args.rows]
    results["files"] = {
        str(n): {
            "rows": f["rows"],
            "clean_rows": f["clean_rows"],
            "errors": len(f["errors"]),
            "bytes": f["bytes"],
            "path": str(f["products"].relative_to(ROOT) if f["products"].is_relative_to(ROOT) else f["products"]),
        }
        for n, f in files.items()
    }

    def step(name, fn):
        if name in args.skip:
            log(f"skipping {name}")
            return None
        log(f"--- {name}")
        try:
            return fn()
        except Exception:
            results["failures"][name] = traceback.format_exc()
            log(f"{name} failed:\n{results['failures'][name]}")
            return None
        finally:
            save()

    copy = step(
        "copy",
        lambda: {
            "big": copy_baselines.copy_baselines(args.database_url, big, args.repeats),
            "small": copy_baselines.copy_baselines(args.database_url, small, args.repeats)
            if small is not big
            else None,
        },
    )
    if copy:
        results["copy"] = copy
        save()
    # erpimpl's job first after COPY: it is the figure the others are compared with
    eng = step("engine", lambda: engine.bench(args, small, big))
    if eng:
        results["engine"] = eng
        save()
    xl = step("xlsx", lambda: xlsx.xlsx_bench(small, args.repeats))
    if xl:
        results["xlsx"] = xl
        save()
    baseline_c = step("die", lambda: die.die_baselines(small, big, args.repeats, args.die_budget))
    if baseline_c:
        results["die"] = baseline_c
    save()
    log(f"wrote {args.results} and {args.report}")
    for t in results["targets"]:
        log(f"{t['result']:4}  {t['target']}: {t['measured']} (required {t['required']})")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    sys.exit(main())
