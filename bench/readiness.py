"""The go-live readiness run on the big project: its time and its queries (issue 12, "Speed").

    .venv/bin/python bench/readiness.py                # on BIG of the page benchmark's database
    .venv/bin/python bench/readiness.py --runs 5 --code BIG-S

Runs the readiness check of the project in process, exactly as a worker does (claim, then
execute every active criterion), ``--runs`` times, and writes ``bench/READINESS.md`` (median
and worst time, queries per run and per criterion, against the target of ≤ 10 s with a number
of queries that does not grow with the project) and ``bench/readiness.json``. The database is
the page benchmark's (``$BENCH_PAGES_DATABASE_URL``, default ``erpimpl_big``); generate it first
with ``bench/pages.py`` (or ``manage.py make_big_project`` on that database).

The production environment's URL of the generated project does not resolve on a machine
without internet: rule 9 then fails fast with the resolver's error, as it would on a real
project whose production is not up yet.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.webbench.settings")
os.environ.setdefault(
    "DATABASE_URL", os.environ.get("BENCH_PAGES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/erpimpl_big")
)


def measure(code: str, runs: int) -> dict:
    import django

    django.setup()
    from django.db import connection

    from golive import services
    from golive.models import ReadinessResult, ReadinessRun
    from projects.models import Project

    project = Project.objects.get(code=code)
    pm = project.memberships.filter(role="pm").select_related("user").first().user
    rows = []
    for _ in range(runs):
        ReadinessRun.objects.filter(project=project, status__in=ReadinessRun.ACTIVE).update(status="cancelled")
        # The message goes to the configured broker (no worker reads it here); the run is executed below.
        run = services.readiness_run_request(project=project, by=pm)
        started = time.perf_counter()
        claimed, token = services.readiness_run_claim(run_id=run.pk, worker="bench")
        done = services.readiness_run_execute(run=claimed, token=token)
        seconds = time.perf_counter() - started
        results = list(ReadinessResult.objects.filter(run=done).values("code", "rule", "result", "measured"))
        rows.append(
            {
                "run": done.number,
                "seconds": round(seconds, 3),
                "queries": done.query_count,
                "criteria": len(results),
                "score": float(done.score) if done.score is not None else None,
                "recommendation": done.recommendation,
                "results": results,
            }
        )
        print(f"run #{done.number}: {seconds:.2f} s, {done.query_count} queries, {len(results)} criteria")
    connection.close()
    return {"project": code, "runs": rows}


def report(big: dict, small: dict | None, path: Path) -> None:
    times = [r["seconds"] for r in big["runs"]]
    queries = sorted({r["queries"] for r in big["runs"]})
    small_queries = sorted({r["queries"] for r in small["runs"]}) if small else None
    passed = max(times) <= 10 and (small_queries is None or max(queries) <= max(small_queries))
    lines = [
        "# Readiness run on the big project (issue 12)",
        "",
        "Written by `bench/readiness.py` (see its docstring). Target: a run over the big project in ≤ 10 s, "
        "with a number of queries that does not grow with the project.",
        "",
        f"- project `{big['project']}`: {len(times)} runs, median {statistics.median(times):.2f} s, "
        f"worst {max(times):.2f} s; queries per run {queries}",
    ]
    if small:
        lines.append(f"- small project `{small['project']}`: queries per run {small_queries}")
    lines += [
        f"- **{'pass' if passed else 'fail'}**",
        "",
        "| criterion | rule | result | measured |",
        "|---|---|---|---|",
    ]
    for row in big["runs"][-1]["results"]:
        lines.append(f"| {row['code']} | {row['rule'] or 'manual'} | {row['result']} | {row['measured']} |")
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--code", default="BIG")
    parser.add_argument("--small-code", default="BIG-S")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--report", default=str(HERE / "READINESS.md"))
    parser.add_argument("--results", default=str(HERE / "readiness.json"))
    args = parser.parse_args()
    big = measure(args.code, args.runs)
    small = measure(args.small_code, 1) if args.small_code else None
    Path(args.results).write_text(json.dumps({"big": big, "small": small}, indent=1, default=str))
    report(big, small, Path(args.report))
    print(f"wrote {args.report}")


if __name__ == "__main__":
    main()
