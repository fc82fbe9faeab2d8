"""Pass/fail against the targets of issue 11, and ``bench/PAGES.md``.

Targets: every page and endpoint ≤ 25 queries, the same count at page size 10 and 100 (API
lists) and on the small and the big project; p95 ≤ 300 ms for pages, lists and details;
≤ 3 s for downloads (exports); API lists ≥ 0.5× the bare view with p99 ≤ 100 ms at 16
connections. A timeout or a server error fails. A route answering 405 to GET (an action
taking POST only) is listed, not judged.
"""

from __future__ import annotations

from pathlib import Path

MAX_QUERIES = 25
MAX_MS = 300
MAX_DOWNLOAD_MS = 3000
MIN_RATIO = 0.5
MAX_P99_MS = 100


def judged(row: dict) -> bool:
    return not row.get("unfilled") and row.get("status") != 405


def failures(row: dict) -> list[str]:
    if not judged(row):
        return []
    why = []
    if row.get("timeout"):
        why.append("timeout")
    elif row.get("error") or (row.get("status") or 0) >= 500:
        why.append(f"error {row.get('error') or row.get('status')}"[:90])
    queries = row.get("queries")
    if queries is not None and queries > MAX_QUERIES:
        why.append(f"{'≥ ' if row.get('timeout') else ''}{queries} queries")
    seen = row.get("queries_seen") or []
    if len(seen) > 1:
        why.append(f"queries vary between runs {seen}")
    ps10, ps100 = row.get("queries_ps10"), row.get("queries_ps100")
    if ps10 is not None and ps100 is not None and ps100 > ps10:
        why.append(f"grows with page size ({ps10}→{ps100})")
    small = row.get("queries_small")
    comparable = row.get("status_small") == row.get("status") and not row.get("timeout")
    if small is not None and queries is not None and queries > small and comparable:
        why.append(f"grows with project size ({small}→{queries})")
    limit = MAX_DOWNLOAD_MS if is_download(row) else MAX_MS
    p95 = row.get("p95_ms")
    if p95 is not None and p95 > limit and not row.get("timeout"):
        why.append(f"p95 {p95:,.0f} ms > {limit:,} ms")
    return why


def is_download(row: dict) -> bool:
    kind = row.get("content_type") or ""
    return bool(row.get("download")) or (
        kind not in ("", "text/html", "application/json") and not kind.startswith("image/")
    )


def evaluate(rows: list[dict]) -> None:
    for row in rows:
        row["fails"] = failures(row)
        row["passed"] = judged(row) and not row["fails"]


def _severity(row: dict) -> tuple:
    return (bool(row.get("timeout")), row.get("p95_ms") or 0, row.get("queries") or 0)


def _ms(value) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _queries(row: dict) -> str:
    text = "–" if row.get("queries") is None else f"{'≥ ' if row.get('timeout') else ''}{row['queries']:,}"
    if row.get("queries_small") is not None:
        text += f" (small {row['queries_small']:,})"
    if row.get("queries_ps10") is not None:
        text += f" (ps10 {row['queries_ps10']}, ps100 {row['queries_ps100']})"
    return text


def _route(row: dict) -> str:
    name = row["name"] + (f" [{row['variant']}]" if row.get("variant") else "")
    return f"`{name}`<br>{row.get('url') or row['template']}"


def _table(rows: list[dict]) -> list[str]:
    lines = [
        "| route | user | status | queries | median ms | p95 ms | runs | result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        result = "pass" if row.get("passed") else "**fail**: " + "; ".join(row.get("fails") or [])
        lines.append(
            f"| {_route(row)} | {row['user']} | {row.get('status', '–')} | {_queries(row)} | {_ms(row.get('median_ms'))} "
            f"| {_ms(row.get('p95_ms'))} | {row.get('runs', 0)} | {result} |"
        )
    return lines


def _throughput(results: dict) -> list[str]:
    data = results.get("throughput")
    if not data:
        return ["Not run in this report (`--steps throughput`)."]
    lines = [
        f"gunicorn with {data['workers']} sync workers, {data['connections']} connections, {data['duration_s']:.0f} s per "
        "target after a 2 s warm-up, the PM's API token; a page of 50 from the API list versus the bare view "
        "(`bench/webbench/bare.py`) answering the same 50 rows as JSON.",
        "",
        "| list | API req/s | API p50 ms | API p99 ms | bare req/s | bare p50 ms | bare p99 ms | ratio | target (≥ 0.5×, p99 ≤ 100 ms) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for pair in data["pairs"]:
        api, bare = pair["api"], pair["bare"]
        ok = (pair["ratio"] or 0) >= MIN_RATIO and api["p99_ms"] <= MAX_P99_MS and not api["errors"]
        lines.append(
            f"| {pair['label']} | {api['rps']:.1f} | {api['p50_ms']:.0f} | {api['p99_ms']:.0f} | {bare['rps']:.1f} | "
            f"{bare['p50_ms']:.0f} | {bare['p99_ms']:.0f} | **{pair['ratio']:.2f}×** | {'pass' if ok else '**fail**'} |"
        )
    errors = [
        f"{p['label']} {side}: {p[side]['errors']} errors {p[side]['error_kinds']}"
        for p in data["pairs"]
        for side in ("api", "bare")
        if p[side]["errors"]
    ]
    return lines + ([""] + [f"- {e}" for e in errors] if errors else [])


def write(results: dict, path: Path) -> None:
    rows = results.get("routes", [])
    evaluate(rows)
    meta = results.get("meta", {})
    measured = [r for r in rows if judged(r)]
    failed = [r for r in measured if not r["passed"]]
    unfilled = [r for r in rows if r.get("unfilled")]
    post_only = [r for r in rows if not r.get("unfilled") and r.get("status") == 405]
    worst = sorted(failed, key=_severity, reverse=True)[:30]
    lines = [
        "# Pages and API at real size (issue 11)",
        "",
        'Written by `bench/pages.py` (see `bench/README.md`, "The page and API benchmark"); raw figures in '
        "`bench/pages.json`. Targets: ≤ 25 queries, constant in page size (API lists, 10 vs 100) and project size "
        "(the small project vs the big one); p95 ≤ 300 ms for pages, lists and details; downloads ≤ 3 s.",
        "",
        f"- measured: {meta.get('finished', '?')} on commit {meta.get('commit', '?')}"
        + (" (work tree with uncommitted changes)" if meta.get("dirty") else ""),
        f"- big project `{meta.get('code')}` ({meta.get('big_counts', '')}), small project `{meta.get('small_code')}` "
        f"({meta.get('small_counts', '')})",
        f"- users: firm = `{meta.get('firm_user')}` (PM), client = `{meta.get('client_user')}` (key user)",
        f"- in process with Django's test client, DEBUG off, connections kept; per route a warm-up request, then up to "
        f"{meta.get('runs')} timed runs within {meta.get('budget')} s (a request over {meta.get('slow')} s counts as a "
        f"run), timeout {meta.get('timeout')} s",
        f"- machine: {meta.get('machine', '')}",
        f"- wall time: pages {meta.get('pages_seconds', 0):,.0f} s, throughput {meta.get('throughput_seconds', 0):,.0f} s; "
        f"load average (1 min) at the start and end of each: {meta.get('load', '?')} (2 cores shared with other work: "
        "above 2, times are inflated)",
        "",
        f"**{len(measured)} route × user measurements: {len(measured) - len(failed)} pass, {len(failed)} fail** "
        f"({len(post_only)} POST-only answers 405, {len(unfilled)} unfilled).",
        "",
        "## Worst rows",
        "",
        *_table(worst),
        "",
        "## API throughput against a bare Django view",
        "",
        *_throughput(results),
        "",
        "## Every route",
        "",
        *_table(sorted(measured, key=lambda r: (r["kind"], r["name"], r.get("variant", ""), r["user"]))),
        "",
        "## Not judged",
        "",
        "POST-only (405 to GET): " + (", ".join(sorted({f"`{r['name']}`" for r in post_only})) or "none") + ".",
        "",
        "Unfilled: " + ("; ".join(sorted({f"`{r['key']}` ({r['unfilled']})" for r in unfilled})) or "none") + ".",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
