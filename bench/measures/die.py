"""Step 3: django-import-export with bulk options and cached foreign-key lookups (baseline C).

Each import runs in a child process (``bench/run.py --child-die PATH``, which calls ``child``).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import time
from pathlib import Path

from bench.common import HERE, PYTHON, log, median, rate, run_cmd
from bench.procs import proc_status_kb


def child(path: str) -> None:
    """Runs in a child process: one django-import-export import of ``path``; prints JSON."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    import tablib
    from django.db import connection

    from bench.iebench.models import Product
    from bench.iebench.resources import ProductResource

    with connection.cursor() as cur:
        cur.execute("TRUNCATE iebench_product RESTART IDENTITY")
    t0 = time.perf_counter()
    with open(path, encoding="utf-8") as fh:
        dataset = tablib.Dataset().load(fh.read(), format="csv")
    t_read = time.perf_counter() - t0
    result = ProductResource().import_data(dataset, dry_run=False, use_transactions=True, raise_errors=False)
    seconds = time.perf_counter() - t0
    print(
        "DIE "
        + json.dumps(
            {
                "rows": len(dataset),
                "seconds": round(seconds, 3),
                "read_seconds": round(t_read, 3),
                "rows_with_errors": len(result.row_errors()),
                "invalid_rows": len(result.invalid_rows),
                "base_errors": len(result.base_errors),
                "has_errors": result.has_errors(),
                "totals": dict(result.totals),
                "loaded_rows": Product.objects.count(),
                "peak_rss_mb": round((proc_status_kb(os.getpid(), "VmHWM") or 0) / 1024, 1),
            }
        ),
        flush=True,
    )


def die_reference_data(files: dict) -> None:
    from bench.iebench.models import Product, TaxCode, Uom, Vendor

    Product.objects.all().delete()
    Vendor.objects.all().delete()
    Uom.objects.all().delete()
    TaxCode.objects.all().delete()
    with open(files["uom"], encoding="utf-8") as fh:
        Uom.objects.bulk_create(Uom(code=r["code"], name=r["name"]) for r in csv.DictReader(fh))
    with open(files["tax_codes"], encoding="utf-8") as fh:
        TaxCode.objects.bulk_create(TaxCode(code=r["code"], name=r["name"], rate=r["rate"]) for r in csv.DictReader(fh))
    with open(files["vendors_clean"], encoding="utf-8") as fh:
        Vendor.objects.bulk_create(
            (Vendor(code=r["code"], name=r["name"]) for r in csv.DictReader(fh)), batch_size=5000
        )


def die_once(path: Path, timeout: float) -> dict:
    env = os.environ.copy()
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    proc, wall = run_cmd([PYTHON, str(HERE / "run.py"), "--child-die", str(path)], timeout=timeout, env=env)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("DIE "))
    data = json.loads(line[4:])
    data["rows_per_s"] = rate(data["rows"], data["seconds"])
    data["file"] = path.name
    return data


def die_baselines(small: dict, big: dict | None, repeats: int, budget: float) -> dict:
    try:
        import import_export  # noqa: F401
    except ImportError:
        return {"status": "unavailable", "reason": "django-import-export is not installed (bench/requirements.txt)"}
    out = {"status": "ok", "options": "use_bulk, batch_size=5000, skip_diff, CachedInstanceLoader, cached FK dicts"}
    die_reference_data(small)
    runs = []
    for i in range(repeats):
        r = die_once(small["products"], timeout=budget)
        runs.append(r)
        log(
            f"django-import-export {small['rows']} dirty #{i + 1}: {r['seconds']:.1f} s, {r['rows_per_s']:,.0f} rows/s, "
            f"loaded {r['loaded_rows']}, {r['peak_rss_mb']} MB"
        )
    med = median([r["seconds"] for r in runs])
    out["small"] = {
        "rows": small["rows"],
        "runs": runs,
        "median_seconds": med,
        "rows_per_s": rate(small["rows"], med),
        "loaded_rows": runs[-1]["loaded_rows"],
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
    }
    clean = die_once(small["products_clean"], timeout=budget)
    log(
        f"django-import-export {small['clean_rows']} clean: {clean['seconds']:.1f} s, "
        f"{clean['rows_per_s']:,.0f} rows/s, loaded {clean['loaded_rows']}"
    )
    out["small_clean"] = clean
    if big is not None and big["rows"] != small["rows"]:
        predicted = med * big["rows"] / small["rows"]
        out["big_predicted_seconds"] = round(predicted, 1)
        if predicted <= budget * 0.8:
            if big is not small:
                die_reference_data(big)
            try:
                r = die_once(big["products"], timeout=budget)
                log(
                    f"django-import-export {big['rows']} dirty: {r['seconds']:.1f} s, {r['rows_per_s']:,.0f} rows/s, "
                    f"{r['peak_rss_mb']} MB"
                )
                out["big"] = {**r, "measured": True}
            except subprocess.TimeoutExpired:
                out["big"] = {"measured": False, "reason": f"timed out after {budget:.0f} s"}
        else:
            out["big"] = {
                "measured": False,
                "reason": f"predicted {predicted:.0f} s > budget; extrapolated linearly from {small['rows']} rows",
                "rows_per_s": out["small"]["rows_per_s"],
            }
    return out
