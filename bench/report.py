"""The issue's targets, evaluated against the results, and ``RESULTS.md``."""

from __future__ import annotations

from pathlib import Path

from bench.common import PARTNERS, SEED

# Targets of issue 3, "Figures".
TARGET_LOAD_VS_COPY_B = 0.5
TARGET_VALIDATE_VS_COPY_B = 1.0
TARGET_VS_DIE = 4.0
TARGET_XLSX_ROWS_S = 40_000
TARGET_RSS_MB = 300
TARGET_RSS_GROWTH = 1.3
TARGET_PROGRESS_S = 2.0
TARGET_CANCEL_S = 5.0


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    if isinstance(v, float | int):
        return f"{v:,.{digits}f}"
    return str(v)


def verdict(ok):
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def evaluate(results: dict) -> list[dict]:
    """The issue's targets, each with the measured value and PASS/FAIL/n/a."""
    copy_b = (results.get("copy", {}).get("big") or {}).get("B", {}).get("rows_per_s")
    die = results.get("die", {})
    die_rate = (die.get("big") or {}).get("rows_per_s") or (die.get("small") or {}).get("rows_per_s")
    eng = results.get("engine", {})
    load = (eng.get("big") or {}).get("load", {})
    validate = (eng.get("big") or {}).get("validate", {})
    load_rate, val_rate = load.get("rows_per_s"), validate.get("rows_per_s")
    rss_big = (eng.get("big") or {}).get("peak_rss_mb")
    rss_small = (eng.get("small") or {}).get("peak_rss_mb")
    xlsx = results.get("xlsx", {})
    xlsx_rate = (xlsx.get("readers", {}).get(xlsx.get("measured_reader"), {}) or {}).get("rows_per_s")

    def ratio(a, b):
        return round(a / b, 2) if a and b else None

    rows = []

    def add(name, target, measured, ok):
        rows.append({"target": name, "required": target, "measured": measured, "result": verdict(ok)})

    r = ratio(load_rate, copy_b)
    add("load rows/s vs COPY-B", f">= {TARGET_LOAD_VS_COPY_B}x", r, None if r is None else r >= TARGET_LOAD_VS_COPY_B)
    errors_ok = load.get("errors_match_manifest")
    add("every injected error reported", "exactly the manifest", load.get("errors_detail"), errors_ok)
    r = ratio(val_rate, copy_b)
    add(
        "validate-only rows/s vs COPY-B",
        f">= {TARGET_VALIDATE_VS_COPY_B}x",
        r,
        None if r is None else r >= TARGET_VALIDATE_VS_COPY_B,
    )
    r = ratio(load_rate, die_rate)
    add("load rows/s vs django-import-export", f">= {TARGET_VS_DIE}x", r, None if r is None else r >= TARGET_VS_DIE)
    add(
        "XLSX read rows/s",
        f">= {TARGET_XLSX_ROWS_S:,}",
        xlsx_rate,
        None if xlsx_rate is None else xlsx_rate >= TARGET_XLSX_ROWS_S,
    )
    add(
        "worker peak RSS, big file (MB)",
        f"<= {TARGET_RSS_MB}",
        rss_big,
        None if rss_big is None else rss_big <= TARGET_RSS_MB,
    )
    r = ratio(rss_big, rss_small)
    add("worker peak RSS big / 100k", f"<= {TARGET_RSS_GROWTH}x", r, None if r is None else r <= TARGET_RSS_GROWTH)
    p = (eng.get("big") or {}).get("progress", {}).get("max_interval_s")
    add("progress write interval (s, max)", f"<= {TARGET_PROGRESS_S}", p, None if p is None else p <= TARGET_PROGRESS_S)
    c = (eng.get("cancel") or {}).get("latency_s")
    add("cancel latency (s)", f"<= {TARGET_CANCEL_S}", c, None if c is None else c <= TARGET_CANCEL_S)
    return rows


def throughput_table(results: dict, size_key: str) -> list[str]:
    """Markdown lines: every throughput figure of one file size, with ratios to that size's baselines."""
    rows_n = results["rows"] if size_key == "big" else results["small_rows"]
    if size_key == "small" and rows_n == results["rows"]:
        return []
    copy = (results.get("copy") or {}).get(size_key) or {}
    die = results.get("die") or {}
    eng = (results.get("engine") or {}).get(size_key) or {}
    copy_b = (copy.get("B") or {}).get("rows_per_s")
    die_fig = die.get(size_key) or {}
    die_rate = die_fig.get("rows_per_s")
    die_note = "" if die_fig.get("measured", True) else " (extrapolated)"

    def vs(v):
        a = f"{v / copy_b:.2f}x" if v and copy_b else "n/a"
        b = f"{v / die_rate:.1f}x" if v and die_rate else "n/a"
        return a, b

    lines = [
        "",
        f"## Throughput, {rows_n:,}-row products file",
        "",
        f"Ratios are to this file's COPY-B and django-import-export (dirty file{die_note}) figures.",
        "",
        "| figure | rows | seconds | rows/s | vs COPY-B | vs django-import-export | peak RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, label in (
        ("A_text", "COPY A′: dirty file into an all-text unindexed table"),
        ("A", "COPY A: clean rows into a typed unindexed table"),
        ("B", "COPY B: clean rows into a table indexed and constrained like a Django target"),
    ):
        c = copy.get(name)
        if c:
            a, b = vs(c["rows_per_s"])
            lines.append(
                f"| {label} | {c['rows']:,} | {c['median_seconds']:.2f} (median of {len(c['seconds'])}) "
                f"| {fmt(c['rows_per_s'])} | {a} | {b} | – |"
            )
    if die.get("status") != "ok":
        lines.append(f"| django-import-export: {die.get('reason', 'not run')} | | | | | | |")
    else:
        label = "django-import-export, bulk options + cached FK lookups"
        if die_fig.get("runs"):
            a, b = vs(die_fig["rows_per_s"])
            lines.append(
                f"| {label}, dirty file (loaded {die_fig['loaded_rows']:,} rows) | {die_fig['rows']:,} "
                f"| {die_fig['median_seconds']:.1f} (median of {len(die_fig['runs'])}) | {fmt(die_fig['rows_per_s'])} "
                f"| {a} | {b} | {die_fig['peak_rss_mb']} |"
            )
        elif die_fig.get("measured"):
            a, b = vs(die_fig["rows_per_s"])
            lines.append(
                f"| {label}, dirty file (loaded {die_fig['loaded_rows']:,} rows) | {die_fig['rows']:,} "
                f"| {die_fig['seconds']:.1f} (1 run) | {fmt(die_fig['rows_per_s'])} | {a} | {b} | {die_fig['peak_rss_mb']} |"
            )
        elif die_fig:
            lines.append(
                f"| {label}: not run at this size ({die_fig['reason']}) | | | {fmt(die_fig.get('rows_per_s'))} "
                f"(extrapolated) | | | |"
            )
        clean = die.get(f"{size_key}_clean")
        if clean:
            a, b = vs(clean["rows_per_s"])
            lines.append(
                f"| {label}, clean rows only (loaded {clean['loaded_rows']:,} rows) | {clean['rows']:,} "
                f"| {clean['seconds']:.1f} (1 run) | {fmt(clean['rows_per_s'])} | {a} | {b} | {clean['peak_rss_mb']} |"
            )
    engine = results.get("engine") or {}
    if engine.get("status") != "ok":
        lines.append(f"| erpimpl's job: **{engine.get('status', 'not run')}** | | | | | | |")
    for kind in ("validate", "load", "split_validate", "split_load"):
        r = eng.get(kind)
        if r:
            a, b = vs(r.get("rows_per_s"))
            mode = "validate-only" if kind.endswith("validate") else "load"
            on = f" split across {r['workers']} worker processes" if r.get("workers", 1) > 1 else ""
            lines.append(
                f"| erpimpl {mode} run{on}, queued → {r.get('status')} "
                f"| {r['rows']:,} | {fmt(r.get('seconds'), 1)} (1 run; command wall {fmt(r.get('wall_seconds'), 1)}) "
                f"| {fmt(r.get('rows_per_s'))} | {a} | {b} | {fmt(r.get('peak_rss_mb'), 1)} |"
            )
    return lines


def write_report(results: dict, path: Path) -> None:
    hw = results["hardware"]
    eng = results.get("engine", {})
    xlsx = results.get("xlsx", {})
    lines = [
        "# Master data migration benchmark: results",
        "",
        f"Run {results['started_at']} → {results['finished_at']} (UTC), `{results['command']}`.",
        "Written by `bench/run.py`; raw figures in `bench/results.json`; what each figure means in `bench/README.md`.",
        f"Code under test: commit {results.get('code', {}).get('commit', '?')}"
        + (
            f" with {len(results['code']['uncommitted_engine_files'])} uncommitted file(s) in datamigration/."
            if results.get("code", {}).get("uncommitted_engine_files")
            else " (datamigration/ as committed)."
        ),
        "",
        "## Machine",
        "",
        f"- CPUs (`nproc`): {hw['nproc']} ({hw.get('cpu_model') or 'unknown model'})",
        f"- RAM: {hw['ram_gb']} GiB",
        f"- PostgreSQL {hw['postgresql']} (shared_buffers {hw.get('pg_shared_buffers')}, "
        f"synchronous_commit {hw.get('pg_synchronous_commit')}), Redis {hw.get('redis')}, Python {hw['python']}",
        "- Shared with other developers' processes during the run: figures are indicative, not a lab measure.",
        "",
        f"Files: `make_masterdata.py --products N --partners {PARTNERS} --dirty --seed {SEED}`; "
        + ", ".join(
            f"{s['rows']:,} rows ({s['bytes'] / 1e6:.0f} MB, {s['errors']} injected errors)"
            for s in results["files"].values()
        )
        + ".",
        "",
        "## Targets of issue 3",
        "",
        "| target | required | measured | result |",
        "|---|---|---|---|",
    ]
    for t in results["targets"]:
        m = t["measured"]
        shown = fmt(m, 2 if isinstance(m, float) and m < 100 else 0) if isinstance(m, float | int) else fmt(m)
        lines.append(f"| {t['target']} | {t['required']} | {shown} | {t['result']} |")
    for size_key in ("big", "small"):
        lines += throughput_table(results, size_key)
    if xlsx:
        lines += [
            "",
            f"## XLSX read ({xlsx['rows']:,} rows, {xlsx['bytes'] / 1e6:.1f} MB, written with openpyxl write-only)",
            "",
            "| reader | seconds (median) | rows/s |",
            "|---|---|---|",
        ]
        for name, r in xlsx["readers"].items():
            lines.append(
                f"| {name} | {r['median_seconds']:.2f} ({len(r['seconds'])} run(s)) | {fmt(r['rows_per_s'])} |"
            )
        if xlsx.get("engine_reader"):
            lines += ["", f"Engine reader: {xlsx['engine_reader']}."]
    if eng.get("status") == "ok":
        lines += ["", "## erpimpl's job details", ""]
        for note in eng.get("notes", []):
            lines.append(f"- {note}")
        for part, err in (eng.get("failures") or {}).items():
            last = err.strip().splitlines()[-1] if err.strip() else err
            lines.append(f"- **{part} failed**: `{last}` (traceback in results.json)")
    if results.get("failures"):
        lines += ["", "## Steps that failed", ""]
        for name, err in results["failures"].items():
            lines.append(f"- {name}: `{err.strip().splitlines()[-1] if err.strip() else err}`")
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
