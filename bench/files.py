"""The generated products files (and the derived clean and XLSX files), cached in ``bench/out/``."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

from bench.common import GENERATOR, PARTNERS, PYTHON, SEED, log, run_cmd


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
