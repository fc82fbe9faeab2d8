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
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import inspect
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

GENERATOR = (ROOT.parent / "shared" / "data" / "make_masterdata.py").resolve()
if not GENERATOR.exists():  # the work tree may sit elsewhere than next to shared/
    GENERATOR = Path("/work/shared/data/make_masterdata.py")
PARTNERS = 20000
SEED = 7
SMALL_ROWS = 100_000
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/erpimpl_bench"
DEFAULT_BROKER = "redis://127.0.0.1:6379/2"
PYTHON = sys.executable

# Targets of issue 3, "Figures".
TARGET_LOAD_VS_COPY_B = 0.5
TARGET_VALIDATE_VS_COPY_B = 1.0
TARGET_VS_DIE = 4.0
TARGET_XLSX_ROWS_S = 40_000
TARGET_RSS_MB = 300
TARGET_RSS_GROWTH = 1.3
TARGET_PROGRESS_S = 2.0
TARGET_CANCEL_S = 5.0

PRODUCT_COLUMNS = [
    "code",
    "name",
    "category",
    "uom",
    "price",
    "cost",
    "weight_kg",
    "barcode",
    "vendor_code",
    "tax_code",
    "active",
    "launch_date",
]


def log(msg: str) -> None:
    print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}] {msg}", flush=True)


def median(values):
    return statistics.median(values) if values else None


def rate(rows, seconds):
    return round(rows / seconds, 1) if rows and seconds else None


# --- memory of processes -----------------------------------------------------------------
def proc_status_kb(pid: int, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants (from /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def reset_peak_rss(pids) -> None:
    """Reset VmHWM (peak RSS) of each process: Linux's clear_refs "5"."""
    for p in pids:
        try:
            with open(f"/proc/{p}/clear_refs", "w") as fh:
                fh.write("5")
        except OSError:
            pass


class RssSampler:
    """Samples the RSS of a process tree every ``interval`` s; keeps per-process peaks."""

    def __init__(self, root_pid: int, interval: float = 0.2):
        self.root_pid, self.interval = root_pid, interval
        self.peak_kb: dict[int, int] = {}
        self.peak_total_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            total = 0
            for p in process_tree(self.root_pid):
                rss = proc_status_kb(p, "VmRSS") or 0
                hwm = proc_status_kb(p, "VmHWM") or 0
                total += rss
                self.peak_kb[p] = max(self.peak_kb.get(p, 0), rss, hwm)
            self.peak_total_kb = max(self.peak_total_kb, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        reset_peak_rss(process_tree(self.root_pid))
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        for p in process_tree(self.root_pid):  # the kernel's own peak, between samples too
            hwm = proc_status_kb(p, "VmHWM") or 0
            self.peak_kb[p] = max(self.peak_kb.get(p, 0), hwm)

    def result(self) -> dict:
        return {
            "peak_rss_mb_max_process": round(max(self.peak_kb.values(), default=0) / 1024, 1),
            "peak_rss_mb_tree_sampled": round(self.peak_total_kb / 1024, 1),
            "processes": {str(p): round(kb / 1024, 1) for p, kb in sorted(self.peak_kb.items())},
        }


# --- environment and database --------------------------------------------------------------
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


def run_cmd(args, *, timeout, env=None, capture=True, check=True):
    t0 = time.perf_counter()
    proc = subprocess.run(
        args, cwd=ROOT, env=env or os.environ.copy(), timeout=timeout, capture_output=capture, text=True
    )
    elapsed = time.perf_counter() - t0
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc, elapsed


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


# --- step 1: files -------------------------------------------------------------------------
def ensure_files(out: Path, rows: int) -> dict:
    """Generate (or reuse) the dirty set for ``rows`` products, plus the derived clean files."""
    folder = out / f"p{rows}"
    manifest_path = folder / "manifest.json"
    generated = False
    if not manifest_path.exists() or json.loads(manifest_path.read_text())["rows"]["products.csv"] != rows:
        log(f"generating {rows} products into {folder}")
        t0 = time.perf_counter()
        run_cmd(
            [
                PYTHON,
                str(GENERATOR),
                str(folder),
                "--products",
                str(rows),
                "--partners",
                str(PARTNERS),
                "--dirty",
                "--seed",
                str(SEED),
            ],
            timeout=1200,
        )
        log(f"generated in {time.perf_counter() - t0:.1f} s")
        generated = True
    manifest = json.loads(manifest_path.read_text())
    bad = {}
    for e in manifest["errors"]:
        bad.setdefault(e["file"], set()).add(e["row"])
    clean_products = folder / "products.clean.csv"
    clean_vendors = folder / "vendors.clean.csv"
    for src, dst in ((folder / "products.csv", clean_products), (folder / "vendors.csv", clean_vendors)):
        if generated or not dst.exists():
            drop = bad.get(src.name, set())
            with open(src, newline="", encoding="utf-8") as fin, open(dst, "w", newline="", encoding="utf-8") as fout:
                reader, writer = csv.reader(fin), csv.writer(fout)
                writer.writerow(next(reader))
                for n, row in enumerate(reader, 1):
                    if n not in drop:
                        writer.writerow(row)
    return {
        "folder": folder,
        "products": folder / "products.csv",
        "products_clean": clean_products,
        "vendors": folder / "vendors.csv",
        "vendors_clean": clean_vendors,
        "uom": folder / "uom.csv",
        "tax_codes": folder / "tax_codes.csv",
        "rows": rows,
        "clean_rows": rows - len(bad.get("products.csv", ())),
        "errors": [e for e in manifest["errors"] if e["file"] == "products.csv"],
        "all_errors": manifest["errors"],
        "bytes": (folder / "products.csv").stat().st_size,
    }


# --- step 2: COPY baselines ----------------------------------------------------------------
COPY_TEXT_DDL = "CREATE TABLE bench_copy_text ({})".format(", ".join(f"{c} text" for c in PRODUCT_COLUMNS))
COPY_PLAIN_DDL = """
CREATE TABLE bench_copy_plain (
    code varchar(32) NOT NULL, name varchar(255) NOT NULL, category varchar(100),
    uom varchar(16) NOT NULL, price numeric(18,2) NOT NULL, cost numeric(18,2),
    weight_kg numeric(12,3), barcode varchar(13), vendor_code varchar(32),
    tax_code varchar(16) NOT NULL, active boolean NOT NULL, launch_date date
)"""
# Shaped like a Django target: bigserial primary key, unique code plus Django's extra
# varchar_pattern_ops ("_like") index, an index on each foreign key and on the lookup
# columns, a check constraint, and foreign keys to the reference tables.
COPY_REF_DDL = [
    "CREATE TABLE bench_copy_uom (id bigserial PRIMARY KEY, code varchar(16) NOT NULL UNIQUE, name varchar(64) NOT NULL)",
    "CREATE TABLE bench_copy_tax (id bigserial PRIMARY KEY, code varchar(16) NOT NULL UNIQUE,"
    " name varchar(128) NOT NULL, rate numeric(5,2) NOT NULL)",
    "CREATE TABLE bench_copy_vendor (id bigserial PRIMARY KEY, code varchar(32) NOT NULL UNIQUE,"
    " name varchar(255) NOT NULL)",
]
COPY_INDEXED_DDL = [
    """CREATE TABLE bench_copy_indexed (
    id bigserial PRIMARY KEY,
    code varchar(32) NOT NULL UNIQUE, name varchar(255) NOT NULL, category varchar(100),
    uom varchar(16) NOT NULL REFERENCES bench_copy_uom (code) DEFERRABLE INITIALLY DEFERRED,
    price numeric(18,2) NOT NULL CHECK (price >= 0), cost numeric(18,2), weight_kg numeric(12,3),
    barcode varchar(13),
    vendor_code varchar(32) REFERENCES bench_copy_vendor (code) DEFERRABLE INITIALLY DEFERRED,
    tax_code varchar(16) NOT NULL REFERENCES bench_copy_tax (code) DEFERRABLE INITIALLY DEFERRED,
    active boolean NOT NULL, launch_date date
)""",
    "CREATE INDEX bench_copy_indexed_code_like ON bench_copy_indexed (code varchar_pattern_ops)",
    "CREATE INDEX bench_copy_indexed_category ON bench_copy_indexed (category)",
    "CREATE INDEX bench_copy_indexed_barcode ON bench_copy_indexed (barcode)",
    "CREATE INDEX bench_copy_indexed_uom ON bench_copy_indexed (uom)",
    "CREATE INDEX bench_copy_indexed_vendor ON bench_copy_indexed (vendor_code)",
    "CREATE INDEX bench_copy_indexed_tax ON bench_copy_indexed (tax_code)",
]
COPY_SQL = "COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv, HEADER true)"


def copy_file(cur, table: str, path: Path, cols=PRODUCT_COLUMNS) -> None:
    with open(path, "rb") as fh:
        cur.copy_expert(COPY_SQL.format(table=table, cols=", ".join(cols)), fh, size=1 << 20)


def copy_reference_tables(db_url: str, files: dict) -> None:
    conn = pg_connect(db_url)
    with conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_copy_indexed, bench_copy_uom, bench_copy_tax, bench_copy_vendor")
        for ddl in COPY_REF_DDL:
            cur.execute(ddl)
        copy_file(cur, "bench_copy_uom", files["uom"], ["code", "name"])
        copy_file(cur, "bench_copy_tax", files["tax_codes"], ["code", "name", "rate"])
        # vendors.clean.csv has 12 columns; the reference table keeps code and name
        with open(files["vendors_clean"], newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader)
            cur.executemany(
                "INSERT INTO bench_copy_vendor (code, name) VALUES (%s, %s)", [(r[0], r[1]) for r in reader]
            )
        cur.execute("ANALYZE bench_copy_uom; ANALYZE bench_copy_tax; ANALYZE bench_copy_vendor")
    conn.close()


def copy_once(db_url: str, table: str, ddl: list[str], path: Path) -> tuple[float, int]:
    conn = pg_connect(db_url)
    with conn, conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        for stmt in ddl:
            cur.execute(stmt)
    conn.commit()
    cur = conn.cursor()
    cur.execute("CHECKPOINT")
    conn.commit()
    t0 = time.perf_counter()
    copy_file(cur, table, path)
    conn.commit()  # deferred foreign keys are checked here
    elapsed = time.perf_counter() - t0
    cur.execute(f"SELECT count(*) FROM {table}")
    count = cur.fetchone()[0]
    conn.commit()
    conn.close()
    return elapsed, count


def copy_baselines(db_url: str, files: dict, repeats: int) -> dict:
    copy_reference_tables(db_url, files)
    cases = {
        "A_text": ("bench_copy_text", [COPY_TEXT_DDL], files["products"], files["rows"]),
        "A": ("bench_copy_plain", [COPY_PLAIN_DDL], files["products_clean"], files["clean_rows"]),
        "B": ("bench_copy_indexed", COPY_INDEXED_DDL, files["products_clean"], files["clean_rows"]),
    }
    out = {}
    for name, (table, ddl, path, rows) in cases.items():
        times = []
        for i in range(repeats):
            seconds, count = copy_once(db_url, table, ddl, path)
            if count != rows:
                raise RuntimeError(f"COPY {name}: {count} rows in table, expected {rows}")
            times.append(seconds)
            log(f"COPY {name} ({rows} rows) #{i + 1}: {seconds:.2f} s, {rows / seconds:,.0f} rows/s")
        out[name] = {
            "table": table,
            "file": path.name,
            "rows": rows,
            "seconds": [round(t, 3) for t in times],
            "median_seconds": round(median(times), 3),
            "rows_per_s": rate(rows, median(times)),
        }
    conn = pg_connect(db_url)
    with conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_copy_text, bench_copy_plain, bench_copy_indexed")
    conn.close()
    return out


# --- step 3: django-import-export ------------------------------------------------------------
def die_child(path: str) -> None:
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


# --- step 5: XLSX ----------------------------------------------------------------------------
def ensure_xlsx(files: dict) -> Path:
    path = files["folder"] / "products.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    log(f"writing {path} (openpyxl write-only)")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("products")
    with open(files["products"], newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.rename(path)
    return path


def read_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    n = 0
    for _row in wb.get_sheet_by_index(0).iter_rows():
        n += 1
    wb.close()
    return n - 1


def read_openpyxl(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return n - 1


def engine_xlsx_reader():
    """The engine's XLSX reader as ``f(path) -> data rows read``, or None and why not."""
    try:
        from datamigration import readers
    except Exception:  # the engine may not be there yet
        return None, "datamigration.readers not importable"
    iter_records = getattr(readers, "iter_records", None)
    if iter_records is None or "fmt" not in inspect.signature(iter_records).parameters:
        return None, "no known XLSX reader entry point in datamigration.readers"

    def read(path: Path) -> int:
        check = getattr(readers, "check_xlsx", None)
        if check:
            check(path)  # the bomb/encryption checks the engine runs before reading
        return sum(1 for number, _cells in iter_records(path, fmt="xlsx") if number)

    return read, "datamigration.readers.check_xlsx + iter_records(fmt='xlsx') (python-calamine, cells as text)"


def xlsx_bench(files: dict, repeats: int) -> dict:
    path = ensure_xlsx(files)
    rows = files["rows"]
    out = {"file": path.name, "rows": rows, "bytes": path.stat().st_size, "readers": {}}
    candidates = [("python-calamine", read_calamine, repeats)]
    engine_reader, why = engine_xlsx_reader()
    if engine_reader:
        candidates.insert(0, ("engine", engine_reader, repeats))
        out["engine_reader"] = why
    else:
        out["engine_reader"] = f"not available ({why}); python-calamine measured directly"
    candidates.append(("openpyxl read-only", read_openpyxl, 1))
    for name, fn, n in candidates:
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            count = fn(path)
            times.append(time.perf_counter() - t0)
            if count != rows:
                raise RuntimeError(f"{name} read {count} rows, expected {rows}")
        out["readers"][name] = {
            "seconds": [round(t, 3) for t in times],
            "median_seconds": round(median(times), 3),
            "rows_per_s": rate(rows, median(times)),
        }
        log(f"XLSX {name}: {median(times):.2f} s, {rows / median(times):,.0f} rows/s")
    out["measured_reader"] = "engine" if engine_reader else "python-calamine"
    return out


# --- step 4: erpimpl's engine --------------------------------------------------------------
def engine_available() -> tuple[bool, str]:
    cmd = ROOT / "datamigration" / "management" / "commands" / "migrate_masterdata.py"
    if not cmd.exists():
        return False, "engine not available: datamigration/management/commands/migrate_masterdata.py does not exist"
    return True, ""


def engine_bench(args, small: dict, big: dict) -> dict:
    ok, why = engine_available()
    if not ok:
        log(why)
        return {"status": "engine not available", "reason": why}
    from bench import engine

    return engine.run(args, small=small, big=big, log=log)


# --- report ----------------------------------------------------------------------------------
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


def code_under_test() -> dict:
    """The commit the run measured, and whether the engine's files differed from it."""

    def git(*a):
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_engine_files": git("status", "--porcelain", "--", "datamigration").splitlines(),
    }


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
        die_child(args.child_die)
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
            "path": str(f["products"].relative_to(ROOT)),
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
            "big": copy_baselines(args.database_url, big, args.repeats),
            "small": copy_baselines(args.database_url, small, args.repeats) if small is not big else None,
        },
    )
    if copy:
        results["copy"] = copy
        save()
    # erpimpl's job first after COPY: it is the figure the others are compared with
    eng = step("engine", lambda: engine_bench(args, small, big))
    if eng:
        results["engine"] = eng
        save()
    xl = step("xlsx", lambda: xlsx_bench(small, args.repeats))
    if xl:
        results["xlsx"] = xl
        save()
    die = step("die", lambda: die_baselines(small, big, args.repeats, args.die_budget))
    if die:
        results["die"] = die
    save()
    log(f"wrote {args.results} and {args.report}")
    for t in results["targets"]:
        log(f"{t['result']:4}  {t['target']}: {t['measured']} (required {t['required']})")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    sys.exit(main())
