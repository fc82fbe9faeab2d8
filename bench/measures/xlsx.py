"""Step 5: XLSX read speed of the small products file (the engine's reader, python-calamine, openpyxl)."""

from __future__ import annotations

import inspect
import time
from pathlib import Path

from bench.common import log, median, rate
from bench.files import ensure_xlsx


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
