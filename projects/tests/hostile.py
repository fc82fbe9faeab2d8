"""The hostile-files corpus: files built in code (small in memory, nothing on disk) that no
upload route may store, parse to exhaustion or answer with a 5xx.

``CORPUS`` maps a file name to a ``Hostile(data, reasons)``: ``reasons`` are fragments
(lower case) of which the refusal message must hold one, whatever the route's wording — so
a file refused for the wrong reason fails too. A route that does not take the extension
refuses it for its type (``TYPE_REASONS``).

Also here: ``xlsx`` / ``docx`` (minimal Office files from parts), ``many_rows_xlsx`` (a
sheet of many rows under the ratio limits, for the row limit of the imports) and
``FORMULAS`` (cells a spreadsheet would run; every export must escape them).
"""

import functools
import io
import zipfile
from dataclasses import dataclass

MB = 1024 * 1024
#: What a bomb unpacks to: small here, but over 1 MB and at a ratio near 1000:1.
BOMB = 4 * MB

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_END = b"</sheetData></worksheet>"
HEADER_ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c><c r="B1" t="inlineStr"><is><t>business_area</t></is></c></row>'


def zip_of(parts: dict, *, level: int = 6) -> bytes:
    """A zip of ``parts`` (name → bytes, or an iterable of byte chunks written as they come)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            if isinstance(data, bytes):
                archive.writestr(name, data)
                continue
            with archive.open(name, "w") as entry:
                for chunk in data:
                    entry.write(chunk)
    return buffer.getvalue()


def xlsx(sheet=None, *, level: int = 6, **extra) -> bytes:
    """A minimal workbook whose first sheet is ``sheet`` (bytes or chunks; a header row by default)."""
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet if sheet is not None else SHEET_START + HEADER_ROW + SHEET_END,
    }
    parts.update(extra)
    return zip_of(parts, level=level)


def docx(document: bytes = b'<?xml version="1.0"?><w:document xmlns:w="urn:w"/>', **extra) -> bytes:
    return zip_of({"[Content_Types].xml": _CONTENT_TYPES, "word/document.xml": document, **extra})


def _rows(count: int, row: bytes, *, numbered: bool = False):
    """``count`` sheet rows in chunks (``row`` holds ``%d`` for the row number when numbered)."""
    for start in range(2, count + 2, 10_000):
        stop = min(start + 10_000, count + 2)
        yield b"".join(row % n for n in range(start, stop)) if numbered else row * (stop - start)


@functools.cache
def million_rows_xlsx() -> bytes:
    """A million rows in about 60 KB: 26 MB of XML, a compression ratio of about 400."""
    return xlsx(iter([SHEET_START, HEADER_ROW, *_rows(1_000_000, b"<row><c><v>1</v></c></row>"), SHEET_END]))


@functools.cache
def many_rows_xlsx(count: int = 100_000) -> bytes:
    """``count`` numbered rows under every ratio limit (about 25:1): only a row limit stops it."""
    row = b'<row r="%d"><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>'
    return xlsx(iter([SHEET_START, HEADER_ROW, *_rows(count, row, numbered=True), SHEET_END]), level=1)


def _bomb_chunks(size: int, start: bytes = b"", end: bytes = b""):
    yield start
    for _ in range(size // MB):
        yield b" " * MB
    yield end


XXE_DTD = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DTD = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10))
    + b"]>"
)
BPMN = (
    b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    b'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"><process id="p">'
    b'<task id="t" name="&xxe;"/></process><bpmndi:BPMNDiagram/></definitions>'
)
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048


def _latin1_csv() -> bytes:
    """UTF-8 text up to past the first 4 KB, then a latin-1 letter (a file declared UTF-8)."""
    lines = ["title,business_area"] + [f"Requirement {n},sales" for n in range(300)] + ["Báo cáo,sales"]
    ascii_part = "\n".join(lines[:-1]).encode() + b"\n"
    return ascii_part + lines[-1].encode("latin-1") + b"\n"


@dataclass(frozen=True)
class Hostile:
    data: bytes
    reasons: tuple[str, ...]


RATIO = ("ratio over",)
DTD = ("dtd",)
NOT_TEXT = ("does not match", "binary data", "not well-formed", "not valid text")
TYPE_REASONS = ("are not accepted", "upload a .bpmn file", "only csv and xlsx")


@functools.cache
def corpus() -> dict[str, Hostile]:
    """The hostile files by name (built once per test session)."""
    bomb_sheet = _bomb_chunks(BOMB, SHEET_START, SHEET_END)
    inner_bomb = zip_of({"log.txt": _bomb_chunks(BOMB)})
    return {
        "zip_bomb.zip": Hostile(zip_of({"evidence/log.txt": _bomb_chunks(BOMB)}), RATIO),
        "zip_bomb.xlsx": Hostile(xlsx(bomb_sheet), RATIO),
        "zip_bomb.docx": Hostile(docx(_bomb_chunks(BOMB, b"<w>", b"</w>")), RATIO),
        "nested_bomb.zip": Hostile(zip_of({"inner.zip": inner_bomb}, level=0), RATIO),
        "million_rows.xlsx": Hostile(million_rows_xlsx(), RATIO),
        "xxe.xlsx": Hostile(
            xlsx(SHEET_START.replace(b"?>", b"?>" + XXE_DTD, 1) + b"<row><c><v>&xxe;</v></c></row>" + SHEET_END),
            DTD,
        ),
        "billion_laughs.xlsx": Hostile(
            xlsx(
                **{
                    "xl/sharedStrings.xml": b'<?xml version="1.0"?>'
                    + LAUGHS_DTD
                    + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b"<si><t>&lol9;</t></si></sst>"
                }
            ),
            DTD,
        ),
        "xxe.docx": Hostile(docx(b'<?xml version="1.0"?>' + XXE_DTD + b"<w>&xxe;</w>"), DTD),
        "xxe.bpmn": Hostile(b'<?xml version="1.0"?>' + XXE_DTD + BPMN, DTD),
        "billion_laughs.bpmn": Hostile(b'<?xml version="1.0"?>' + LAUGHS_DTD + BPMN.replace(b"xxe", b"lol9"), DTD),
        "encrypted.xlsx": Hostile(OLE, ("password-protected",)),
        "macro.xlsx": Hostile(xlsx(**{"xl/vbaProject.bin": b"VBA" * 100}), ("macro",)),
        "macro.docx": Hostile(docx(**{"word/vbaProject.bin": b"VBA" * 100}), ("macro",)),
        "nested.xlsx": Hostile(xlsx(**{"xl/embeddings/inner.zip": zip_of({"a.txt": b"a"})}), ("nested archive",)),
        "latin1.csv": Hostile(_latin1_csv(), ("does not match", "not utf-8", "cannot be read as utf-8")),
        "utf16.csv": Hostile("title,business_area\nBáo cáo,sales\n".encode("utf-16"), NOT_TEXT),
        "binary.csv": Hostile(ELF, NOT_TEXT),
        "binary.txt": Hostile(ELF, NOT_TEXT),
        "binary.bpmn": Hostile(ELF, NOT_TEXT),
    }


#: Cells a spreadsheet would run as formulas (CSV injection); exports must escape each.
FORMULAS = ["=cmd|' /C calc'!A0", '+HYPERLINK("http://x")', "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
