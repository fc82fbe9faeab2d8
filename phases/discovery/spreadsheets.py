"""Reading and writing requirement spreadsheets (CSV and XLSX). Pure I/O, no rules.

Exports are UTF-8 CSV with a BOM (Excel opens Vietnamese text correctly), RFC 4180
quoting, or XLSX with every cell written as text. A cell that starts with ``= + - @``,
a tab or a carriage return is prefixed with ``'`` so a spreadsheet never runs it as a
formula (CSV injection); the import removes that one prefix again, so export → import
gives back the same text.
"""

import csv
import io

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from projects import containers, tabular
from projects.files import UPLOAD_UNSAFE_ARCHIVE
from projects.spreadsheets import unescape_cell

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000

NOT_UTF8 = N_("The CSV file is not UTF-8 text. Save it as “CSV UTF-8”.")
BAD_CSV = N_("The CSV file cannot be read: {error}.")
NOT_XLSX = N_("The file is not a readable XLSX workbook.")
NOT_CSV_OR_XLSX = N_("Upload a .csv or .xlsx file.")
EMPTY = N_("The file is empty.")


class SpreadsheetError(Exception):
    pass


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_cell(str(value).strip())


def max_import_rows() -> int:
    """The most rows an import takes (setting ``REQUIREMENT_IMPORT_MAX_ROWS``, 5,000)."""
    return getattr(settings, "REQUIREMENT_IMPORT_MAX_ROWS", None) or MAX_IMPORT_ROWS


def _raw_rows(fmt: str, data: bytes) -> list[list[str]]:
    """The file's rows through the shared guarded reader: refused as soon as it passes the limit."""
    limit = max_import_rows()
    try:
        return list(tabular.rows(io.BytesIO(data), fmt=fmt, encoding="utf-8-sig", max_rows=limit))
    except UnicodeDecodeError:
        raise SpreadsheetError(_(NOT_UTF8)) from None
    except csv.Error as exc:
        raise SpreadsheetError(_(BAD_CSV).format(error=exc)) from None
    except tabular.TooManyRows:
        raise SpreadsheetError(_(tabular.TOO_MANY_ROWS).format(limit=limit)) from None
    except containers.ContainerProblem as problem:
        if problem.kind in (containers.UNREADABLE, containers.MISSING_PART):
            raise SpreadsheetError(_(NOT_XLSX)) from None
        reason = containers.describe(problem, ext=".xlsx")
        raise SpreadsheetError(_(UPLOAD_UNSAFE_ARCHIVE).format(reason=reason)) from None
    except tabular.TabularProblem:
        raise SpreadsheetError(_(NOT_XLSX)) from None


def read_rows(name: str, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """``(header, [(row_number, cells)])`` of a .csv or .xlsx file; blank rows are skipped.

    Row numbers are the spreadsheet's (the header is row 1). The caller checks the upload
    first (``projects.files.validate_upload`` with ``MAX_IMPORT_BYTES``); the rows come from
    the shared guarded reader (``projects.tabular``), which checks an XLSX container again
    and stops as soon as the file has more than ``max_import_rows()`` rows.
    """
    lowered = name.lower()
    if lowered.endswith(".csv"):
        raw = _raw_rows("csv", data)
    elif lowered.endswith(".xlsx"):
        raw = _raw_rows("xlsx", data)
    else:
        raise SpreadsheetError(_(NOT_CSV_OR_XLSX))
    if not raw:
        raise SpreadsheetError(_(EMPTY))
    header = [_cell_text(h).lower() for h in raw[0]]
    while header and header[-1] == "":
        header.pop()
    rows = []
    for number, cells in enumerate(raw[1:], start=2):
        texts = [_cell_text(c) for c in cells]
        if not any(texts):
            continue
        rows.append((number, texts))
    return header, rows
