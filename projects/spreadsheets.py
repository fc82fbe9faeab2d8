"""Spreadsheets that leave erpimpl: cell safety (CSV injection, RELIABILITY D9) and the
streamed CSV / XLSX writers every export uses.

An exported text cell that starts with ``= + - @``, a tab, a carriage return or NUL would
be run as a formula by a spreadsheet: it is prefixed with ``'``. Plain numbers such as
``-42`` or ``+84`` stay as they are. ``unescape_cell`` removes exactly that prefix on
re-import, so export → import gives back the same text.
"""

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?\Z")


def _runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not _NUMBER.match(text)


def escape_cell(value) -> str:
    text = "" if value is None else str(value).replace("\0", "")
    # Text that already looks escaped gets a second quote, so re-import is exact.
    if _runs_as_formula(text) or (text.startswith("'") and _runs_as_formula(text[1:])):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    if text.startswith("'") and (_runs_as_formula(text[1:]) or (text[1:2] == "'" and _runs_as_formula(text[2:]))):
        return text[1:]
    return text


# --- streamed exports -----------------------------------------------------------------------
# CSV is UTF-8 with a BOM (Excel opens Vietnamese text correctly), RFC 4180 quoting; XLSX
# cells are all text. Rows are consumed as they come (pass a queryset's ``.iterator()``),
# so an export of 20,000 rows starts at once and never holds them all.

BOM = "\ufeff".encode()
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class _Echo:
    def write(self, value):
        return value


def csv_stream(rows: Iterable[list]) -> Iterator[bytes]:
    """The rows (the header first) as CSV, in chunks of 1,000 rows."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM
    buffer = []
    for row in rows:
        buffer.append(writer.writerow([escape_cell(v) for v in row]))
        if len(buffer) >= 1000:
            yield "".join(buffer).encode("utf-8")
            buffer = []
    if buffer:
        yield "".join(buffer).encode("utf-8")


def xlsx_stream(sheets: list[tuple[str, Iterable[list]]]) -> Iterator[bytes]:
    """A workbook of ``(title, rows)`` sheets, written row by row (openpyxl's write-only
    mode, to a temporary file), then read out in 64 KiB chunks."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=escape_cell(value))
                cell.data_type = "s"  # never a formula, never a number: codes stay text
                cells.append(cell)
            sheet.append(cells)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        workbook.save(tmp.name)
        with open(tmp.name, "rb") as fh:
            yield from iter(lambda: fh.read(1 << 16), b"")


def export_download(sheets: list[tuple[str, Iterable[list]]], *, fmt: str, filename: str):
    """A streamed download of the sheets: XLSX (every sheet), or CSV (the first sheet)."""
    from django.http import StreamingHttpResponse

    from projects.files import streaming_attachment

    chunks = xlsx_stream(sheets) if fmt == "xlsx" else csv_stream(sheets[0][1])
    return streaming_attachment(StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt]), filename=filename)
