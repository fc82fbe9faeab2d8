"""Reading and writing requirement spreadsheets (CSV and XLSX). Pure I/O, no rules.

Exports are UTF-8 CSV with a BOM (Excel opens Vietnamese text correctly), RFC 4180
quoting, or XLSX with every cell written as text. A cell that starts with ``= + - @``,
a tab or a carriage return is prefixed with ``'`` so a spreadsheet never runs it as a
formula (CSV injection); the import removes that one prefix again, so export → import
gives back the same text.
"""

import csv
import io

from projects.spreadsheets import escape_cell, unescape_cell

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000


class SpreadsheetError(Exception):
    pass


def write_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(header: list[str], rows: list[list], *, title: str = "Requirements") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([escape_cell(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = TYPE_STRING  # never a formula, never a number: codes stay text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_cell(str(value).strip())


def read_rows(name: str, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """``(header, [(row_number, cells)])`` of a .csv or .xlsx file; blank rows are skipped.

    Row numbers are the spreadsheet's (the header is row 1). The caller checks the upload
    first (``projects.files.validate_upload`` with ``MAX_IMPORT_BYTES``).
    """
    lowered = name.lower()
    if lowered.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpreadsheetError("The CSV file is not UTF-8 text. Save it as “CSV UTF-8”.") from None
        raw = list(csv.reader(io.StringIO(text, newline="")))
    elif lowered.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged or non-XLSX file
            raise SpreadsheetError("The file is not a readable XLSX workbook.") from None
        sheet = workbook.worksheets[0]
        raw = [list(r) for r in sheet.iter_rows(values_only=True)]
        workbook.close()
    else:
        raise SpreadsheetError("Upload a .csv or .xlsx file.")
    if not raw:
        raise SpreadsheetError("The file is empty.")
    header = [_cell_text(h).lower() for h in raw[0]]
    while header and header[-1] == "":
        header.pop()
    rows = []
    for number, cells in enumerate(raw[1:], start=2):
        texts = [_cell_text(c) for c in cells]
        if not any(texts):
            continue
        rows.append((number, texts))
    if len(rows) > MAX_IMPORT_ROWS:
        raise SpreadsheetError(f"The file has more than {MAX_IMPORT_ROWS} rows; split it.")
    return header, rows
