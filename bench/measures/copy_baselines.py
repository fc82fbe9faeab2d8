"""Step 2: ``COPY`` of the products file into an unindexed table (A) and an indexed one (B)."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from bench.common import log, median, rate
from bench.environment import pg_connect

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
