"""Reading uploaded files: checks before parsing, encoding and delimiter detection, and
streaming readers yielding ``(row_number, cells)``.

Row numbers count records, not lines, starting at 1 for the first record after the header
row; completely blank records are skipped. Rows come from the shared guarded reader
(``projects.tabular.rows``: CSV streamed with the standard library, XLSX with
python-calamine), an XLSX after the shared container check (``projects.containers``:
encryption, macros, entry count, declared sizes, compression ratio, nested archives, DTDs)
with this app's limits (``conf``) and this app's messages.
"""

import csv
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from datamigration import conf
from projects import containers, tabular

SAMPLE_BYTES = 1 << 20
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
OLE_MAGIC = containers.OLE_MAGIC
ZIP_MAGIC = containers.ZIP_MAGIC
# Bytes that only Vietnamese (CP1258) text uses often: Ă ă Đ đ Ơ ơ Ư ư and combining tone marks.
CP1258_HINTS = frozenset(b"\xc3\xe3\xd0\xf0\xd5\xf5\xdd\xfd\xcc\xec\xde\xd2\xf2")

EMPTY_FILE = "The file is empty."
HEADER_ONLY = "The file has a header row but no data rows."
BINARY_FILE = "This does not look like a text (CSV) file: it contains binary data."
NOT_XLSX = "This is not a valid XLSX workbook (the file is corrupt or has another format)."
ENCRYPTED_XLSX = (
    "This workbook is password-protected (or an old .xls file). Save it as .xlsx without a password and upload again."
)
MACRO_XLSX = "Macro-enabled workbooks are not accepted. Save the workbook as a plain .xlsx file."
XLSX_BOMB = "This workbook expands to too much data ({reason}); it is refused before reading."
XML_DTD_XLSX = N_(
    "This workbook holds XML with a DTD or entity declarations, which spreadsheets never need; "
    "it is refused before reading."
)
UNDECODABLE = "The file cannot be read as {encoding} (row {row}). Choose the right encoding and upload again."
UNKNOWN_SHEET = "The workbook has no sheet named {sheet!r}."
UNSUPPORTED_FORMAT = "Only CSV and XLSX files are accepted."
UNKNOWN_ENCODING = "Unknown encoding {encoding!r}."
NO_HEADER = "The header row {row} is empty."
ENCODING_MISMATCH = N_(
    "This file was read as {declared}, but its content looks like {detected}: its accented letters "
    "(Vietnamese, for example) may be garbled. Change the encoding to {detected} unless you are sure."
)

SUPPORTED_ENCODINGS = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16",
    "utf-16-le": "utf-16-le",
    "utf-16-be": "utf-16-be",
    "cp1258": "cp1258",
    "windows-1258": "cp1258",
    "cp1252": "cp1252",
    "windows-1252": "cp1252",
    "latin-1": "latin-1",
}


class FileRejected(Exception):
    """The file cannot be used; ``message`` says why (shown to the user as is)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalise_header(text: str) -> str:
    """Header comparison key: no case, diacritics (đ too), spaces, ``_`` or ``-``."""
    text = unicodedata.normalize("NFKD", str(text).strip().lower()).replace("đ", "d")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\s_\-]+", "", text)


def clean_cell(value: str) -> str:
    value = value.strip()
    return value if value.isascii() else unicodedata.normalize("NFC", value)


# --- detection ------------------------------------------------------------------------


def sniff_format(path: Path, original_name: str) -> str:
    with open(path, "rb") as fh:
        head = fh.read(8)
    suffix = Path(original_name).suffix.lower()
    if head.startswith(ZIP_MAGIC) or suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xlsx"  # refused by check_xlsx with the encrypted/legacy message
    if suffix in ("", ".csv", ".txt", ".tsv"):
        return "csv"
    raise FileRejected(UNSUPPORTED_FORMAT)


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in sample:
        raise FileRejected(BINARY_FILE)
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4 and len(sample) >= SAMPLE_BYTES:  # a character cut by the sample
            return "utf-8"
    high = [b for b in sample if b >= 0x80]
    hints = sum(1 for b in high if b in CP1258_HINTS)
    return "cp1258" if high and hints * 4 >= len(high) else "cp1252"


def encoding_disagreement(path: Path, declared: str) -> str:
    """What the content looks like when reading it as ``declared`` gives other text; else ``""``.

    A file declared latin-1 that is valid UTF-8 with accented letters reads without an
    error, only garbled: the upload keeps the detected encoding so the user is warned.
    Encodings that read the file into the same text (an ASCII file, a BOM) never disagree.
    """
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    try:
        detected = detect_encoding(sample)
    except FileRejected:
        return ""
    if detected == declared:
        return ""
    as_declared = sample.decode(declared, errors="replace").lstrip("\ufeff")
    as_detected = sample.decode(detected, errors="replace").lstrip("\ufeff")
    return "" if as_declared == as_detected else detected


def resolve_encoding(name: str) -> str:
    key = (name or "").strip().lower().replace("_", "-")
    if key not in SUPPORTED_ENCODINGS:
        raise FileRejected(UNKNOWN_ENCODING.format(encoding=name))
    return SUPPORTED_ENCODINGS[key]


def detect_delimiter(first_line: str) -> str:
    counts = {d: 0 for d in CANDIDATE_DELIMITERS}
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(CANDIDATE_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def check_text_file(path: Path, encoding: str | None) -> tuple[str, str]:
    """Refuse empty/binary files; return ``(encoding, delimiter)``."""
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    if not sample.strip():
        raise FileRejected(EMPTY_FILE)
    enc = resolve_encoding(encoding) if encoding else detect_encoding(sample)
    if b"\x00" in sample and not enc.startswith("utf-16"):
        raise FileRejected(BINARY_FILE)
    try:
        text = sample.decode(enc, errors="strict" if len(sample) < SAMPLE_BYTES else "ignore")
    except UnicodeDecodeError:
        raise FileRejected(UNDECODABLE.format(encoding=enc, row=1)) from None
    if _has_controls(text) and not (encoding and _text_in_another_encoding(sample, enc)):
        # Control characters mean binary data, unless the file is text in another encoding than
        # the one declared (UTF-8 declared latin-1): then it is accepted, and the upload warns.
        raise FileRejected(BINARY_FILE)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    return enc, detect_delimiter(first_line)


def _has_controls(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in text[:4096])


def _text_in_another_encoding(sample: bytes, declared: str) -> bool:
    try:
        detected = detect_encoding(sample)
    except FileRejected:
        return False
    if detected == declared:
        return False
    try:
        text = sample.decode(detected, errors="strict" if len(sample) < SAMPLE_BYTES else "ignore")
    except UnicodeDecodeError:
        return False
    return not _has_controls(text)


def _limits() -> dict:
    """This app's own bomb limits (``conf``), passed to the shared container check."""
    return {"max_unpacked": conf.xlsx_max_uncompressed(), "max_ratio": conf.xlsx_max_ratio(), "max_entries": 10_000}


def _rejection(problem: Exception) -> FileRejected:
    """This app's message for a problem found by the shared reader (``projects.containers``/``tabular``)."""
    if isinstance(problem, containers.ContainerProblem):
        kind, detail = problem.kind, problem.detail
        if kind == containers.ENCRYPTED:
            return FileRejected(ENCRYPTED_XLSX)
        if kind == containers.MACROS:
            return FileRejected(MACRO_XLSX)
        if kind == containers.XML_DTD:
            return FileRejected(_(XML_DTD_XLSX))
        reasons = {
            containers.ENTRIES: lambda: f"{detail.get('n')} entries",
            containers.UNPACKED: lambda: f"{detail.get('total')} bytes uncompressed",
            containers.NESTED: lambda: "nested archive",
            containers.RATIO: lambda: f"compression ratio over {detail.get('ratio')}:1",
        }
        if kind in reasons:
            return FileRejected(XLSX_BOMB.format(reason=reasons[kind]()))
        return FileRejected(NOT_XLSX)
    if isinstance(problem, tabular.TabularProblem) and problem.kind == tabular.UNKNOWN_SHEET:
        return FileRejected(UNKNOWN_SHEET.format(sheet=problem.detail["sheet"]))
    return FileRejected(NOT_XLSX)


def check_xlsx(path: Path) -> None:
    """Refuse encrypted, macro-enabled, corrupt and bomb workbooks before any parsing
    (the shared container check, with this app's limits)."""
    try:
        containers.check_container(path, office=True, required_parts=(tabular.WORKBOOK,), **_limits())
    except containers.ContainerProblem as problem:
        raise _rejection(problem) from None


def xlsx_sheet_names(path: Path) -> list[str]:
    try:
        return tabular.xlsx_sheet_names(path)
    except tabular.TabularProblem as problem:
        raise _rejection(problem) from None


# --- streaming ------------------------------------------------------------------------


def _raw_rows(path: Path, *, fmt: str, encoding: str, delimiter: str, sheet: str) -> Iterator[list[str]]:
    """The shared guarded reader (``projects.tabular.rows``), with this app's limits and messages."""
    try:
        yield from tabular.rows(path, fmt=fmt, encoding=encoding, delimiter=delimiter, sheet=sheet, limits=_limits())
    except (containers.ContainerProblem, tabular.TabularProblem) as problem:
        raise _rejection(problem) from None


def iter_records(
    path: Path, *, fmt: str, encoding: str = "utf-8", delimiter: str = ",", sheet: str = "", header_row: int = 1
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(0, header)`` then ``(row_number, cells)`` for every non-blank data record."""
    number = 0
    header_seen = False
    position = 0
    try:
        for cells in _raw_rows(path, fmt=fmt, encoding=encoding, delimiter=delimiter, sheet=sheet):
            position += 1
            if not header_seen:
                if position < header_row:
                    continue
                header_seen = True
                if cells and cells[0].startswith("\ufeff"):
                    cells[0] = cells[0][1:]
                yield 0, cells
                continue
            if not cells or not any(cells):
                continue
            number += 1
            yield number, cells
    except UnicodeDecodeError:
        raise FileRejected(UNDECODABLE.format(encoding=encoding, row=number + 1)) from None
    except csv.Error as exc:
        raise FileRejected(f"CSV error near row {number + 1}: {exc}") from None


def read_header(path: Path, **kwargs) -> tuple[list[str], bool]:
    """The header cells and whether at least one data row follows."""
    records = iter_records(path, **kwargs)
    header = None
    has_data = False
    for number, cells in records:
        if number == 0:
            header = [clean_cell(c) for c in cells]
            continue
        has_data = True
        break
    if header is None:
        raise FileRejected(EMPTY_FILE)
    if not any(header):
        raise FileRejected(NO_HEADER.format(row=kwargs.get("header_row", 1)))
    return header, has_data


def iter_chunks(
    path: Path,
    *,
    fmt: str,
    encoding: str = "utf-8",
    delimiter: str = ",",
    sheet: str = "",
    header_row: int = 1,
    size: int = 20_000,
    skip: int = 0,
) -> Iterator[tuple[int, list[list[str]]]]:
    """Yield ``(0, [header])`` then ``(first_row_number, rows)`` batches of non-blank records.

    Numbering matches ``iter_records``; the first ``skip`` data records are passed over
    (a resumed run), cheaply, without being returned.
    """
    from itertools import islice

    raw = _raw_rows(path, fmt=fmt, encoding=encoding, delimiter=delimiter, sheet=sheet)
    number = 0
    try:
        header = None
        for position, cells in enumerate(raw, start=1):
            if position >= header_row:
                header = cells
                break
        if header is None:
            return
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        yield 0, [header]
        while True:
            batch = list(islice(raw, size))
            if not batch:
                return
            rows = [r for r in batch if any(r)]
            if skip:
                if len(rows) <= skip:
                    skip -= len(rows)
                    number += len(rows)
                    continue
                rows = rows[skip:]
                number += skip
                skip = 0
            if rows:
                yield number + 1, rows
                number += len(rows)
    except UnicodeDecodeError:
        raise FileRejected(UNDECODABLE.format(encoding=encoding, row=number + 1)) from None
    except csv.Error as exc:
        raise FileRejected(f"CSV error near row {number + 1}: {exc}") from None
