"""The one guarded reader of uploaded spreadsheets (CSV and XLSX): every import goes through it.

``rows(source, fmt=..., max_rows=...)`` yields the rows of a file as lists of strings,
one at a time:

- an XLSX is first checked as a container (``projects.containers.check_container``:
  encryption, macros, entry count, unpacked size, compression ratio, nested archives, DTDs
  in its XML), with the caller's limits;
- with ``max_rows``, the rows of an XLSX sheet are counted while its XML is streamed
  (expat, no DTD), and the count stops with ``TooManyRows`` as soon as it passes the limit,
  before the sheet is loaded (python-calamine loads a whole sheet at once); a CSV is
  counted while it is read. Only rows holding a value count, after ``header_rows``;
- cells come out as text: numbers without a trailing ``.0``, dates in ISO form.

Decoding errors (``UnicodeDecodeError``) and ``csv.Error`` are left to the caller, who
knows how to number the row in its message.
"""

import csv
import datetime
import io
import os
import posixpath
import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from django.utils.translation import gettext_noop as N_

from projects.containers import XML_DTD, ContainerProblem, check_container

TOO_MANY_ROWS = N_("The file has more than {limit} rows; split it.")

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"


class TabularProblem(Exception):
    """A spreadsheet that cannot be read as asked: ``kind`` and ``detail``."""

    def __init__(self, kind: str, **detail):
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


class TooManyRows(TabularProblem):
    def __init__(self, limit: int):
        super().__init__("too_many_rows", limit=limit)
        self.limit = limit


NOT_XLSX = "not_xlsx"
UNKNOWN_SHEET = "unknown_sheet"


def xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    return str(value)


def _is_path(source) -> bool:
    return isinstance(source, str | os.PathLike)


# --- counting the rows of a sheet while its XML streams -----------------------------------


class _Stop(Exception):
    pass


def _stream_xml(stream, start, end=None) -> None:
    """Feed ``stream`` to expat with these handlers (local names); a DTD is refused."""

    def refuse(*_args):
        raise ContainerProblem(XML_DTD)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = lambda tag, attrs: start(tag.rpartition("}")[2], attrs)
    if end is not None:
        parser.EndElementHandler = lambda tag: end(tag.rpartition("}")[2])
    try:
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Stop:
        return
    except expat.ExpatError:
        raise TabularProblem(NOT_XLSX) from None


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip path of the sheet named ``sheet`` (the first sheet when empty)."""
    sheets, targets = [], {}

    def on_sheet(tag, attrs):
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if k.rpartition("}")[2] == "id"), "")
            sheets.append((attrs.get("name", ""), rid))

    def on_rel(tag, attrs):
        if tag == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    try:
        with archive.open(WORKBOOK) as fh:
            _stream_xml(fh, on_sheet)
        with archive.open(WORKBOOK_RELS) as fh:
            _stream_xml(fh, on_rel)
    except KeyError:
        return None
    wanted = next((rid for name, rid in sheets if name == sheet or not sheet), None)
    target = targets.get(wanted or "", "")
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def count_xlsx_rows(source, *, sheet: str = "", stop_after: int) -> int:
    """Rows holding a value in ``sheet``, counted while streaming; stops past ``stop_after``."""
    count = 0
    state = {"value": False}

    def start(tag, _attrs):
        if tag == "row":
            state["value"] = False
        elif tag in ("v", "is"):
            state["value"] = True

    def end(tag):
        nonlocal count
        if tag == "row" and state["value"]:
            count += 1
            if count > stop_after:
                raise _Stop

    try:
        with zipfile.ZipFile(source) as archive:
            part = _sheet_part(archive, sheet)
            parts = [part] if part in archive.namelist() else []
            if not parts:  # an unusual layout: count every worksheet, to be safe
                parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            for name in parts:
                with archive.open(name) as fh:
                    _stream_xml(fh, start, end)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise TabularProblem(NOT_XLSX) from None
    finally:
        if not _is_path(source):
            source.seek(0)
    return count


# --- reading ------------------------------------------------------------------------------


def _open_workbook(source):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(source)) if _is_path(source) else CalamineWorkbook.from_filelike(source)
    except Exception:  # calamine raises its own error types for every kind of damage
        raise TabularProblem(NOT_XLSX) from None


def xlsx_sheet_names(source) -> list[str]:
    workbook = _open_workbook(source)
    try:
        return list(workbook.sheet_names)
    finally:
        workbook.close()


def _xlsx_rows(source, sheet: str) -> Iterator[list[str]]:
    workbook = _open_workbook(source)
    try:
        name = sheet or (workbook.sheet_names[0] if workbook.sheet_names else "")
        if name not in workbook.sheet_names:
            raise TabularProblem(UNKNOWN_SHEET, sheet=name)
        try:
            data = workbook.get_sheet_by_name(name)
        except Exception:
            raise TabularProblem(NOT_XLSX) from None
        text_only = {str}
        for row in data.iter_rows():
            # Most cells are text: a row of text only is passed on as it is, and a mixed row
            # converts its other cells alone (the XLSX read rate depends on this loop).
            if set(map(type, row)) == text_only:
                yield row
            else:
                yield [v if v.__class__ is str else xlsx_cell(v) for v in row]
    finally:
        workbook.close()


def _csv_rows(source, encoding: str, delimiter: str) -> Iterator[list[str]]:
    if _is_path(source):
        with open(source, encoding=encoding, newline="", errors="strict") as fh:
            yield from csv.reader(fh, delimiter=delimiter or ",")
        return
    source.seek(0)
    text = io.TextIOWrapper(source, encoding=encoding, newline="", errors="strict")
    try:
        yield from csv.reader(text, delimiter=delimiter or ",")
    finally:
        text.detach()  # the caller's file stays open


def rows(
    source,
    *,
    fmt: str,
    encoding: str = "utf-8",
    delimiter: str = ",",
    sheet: str = "",
    max_rows: int | None = None,
    header_rows: int = 1,
    guard: bool = True,
    limits: dict | None = None,
) -> Iterator[list[str]]:
    """Every row of ``source`` (a path or a seekable binary file) as a list of strings.

    ``fmt``: "csv" or "xlsx". ``max_rows``: refuse (``TooManyRows``) a file with more rows
    holding a value after the first ``header_rows`` rows, as soon as the count passes it.
    ``guard``: check an XLSX as a container first (``limits``: the keyword limits of
    ``check_container``; settings by default).
    """
    if fmt == "xlsx":
        if guard:
            check_container(source, office=True, required_parts=(WORKBOOK,), **(limits or {}))
        if max_rows is not None and count_xlsx_rows(source, sheet=sheet, stop_after=max_rows + header_rows) > (
            max_rows + header_rows
        ):
            raise TooManyRows(max_rows)
        raw = _xlsx_rows(source, sheet)
    else:
        raw = _csv_rows(source, encoding, delimiter)
    counted = 0
    for position, cells in enumerate(raw, start=1):
        if max_rows is not None and position > header_rows and any(cells):
            counted += 1
            if counted > max_rows:
                raise TooManyRows(max_rows)
        yield cells
