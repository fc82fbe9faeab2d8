"""The one container check: every zip-based upload (xlsx, docx, pptx, zip) passes it before
anything unpacks it.

``check_container(source, ...)`` reads the zip's directory and the first bytes of its
entries, never a whole entry, and raises ``ContainerProblem`` with a ``kind`` (below) and
details when the file is:

- an OLE compound file (a password-protected Office file, or an old .xls/.doc): ENCRYPTED;
- not a readable zip: UNREADABLE; missing a part the caller requires: MISSING_PART;
- holding more entries than ``max_entries``: ENTRIES; declaring more than
  ``max_unpacked`` bytes in all: UNPACKED; an entry over 1 MB that expands more than
  ``max_ratio`` times: RATIO (zip bombs);
- holding macros (``vbaProject.bin``): MACROS; an encrypted entry: ENCRYPTED;
- holding another archive (a zip by its first bytes, or a name ending like one): NESTED in
  an Office file; a plain .zip (``nested="check"``) may hold zips one level deep, each
  checked the same way and counted in the totals (other archives cannot be checked: NESTED);
- an Office file whose XML part declares a DTD (XXE, "billion laughs"): XML_DTD. Office
  files never carry one; the prolog is read with expat up to the root element only.

The limits are arguments; left out, they come from settings (``UPLOAD_ARCHIVE_MAX_ENTRIES``,
``UPLOAD_ARCHIVE_MAX_UNPACKED_MB``, ``UPLOAD_ARCHIVE_MAX_RATIO``). Each caller words the
refusal its own way (``describe`` gives the shared wording; datamigration keeps its own).
"""

import os
import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
#: An entry up to this size is never refused for its ratio (small XML parts compress well).
RATIO_FLOOR = MB
#: The XML prolog (declaration, comments) of an Office part is at most this long.
PROLOG_LIMIT = 64 * 1024
ARCHIVE_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".pptm", ".jar", ".7z", ".rar", ".gz")
XML_SUFFIXES = (".xml", ".rels", ".vml")
MACRO_PARTS = ("vbaproject.bin", "vbaprojectsignature.bin")

ENCRYPTED = "encrypted"
UNREADABLE = "unreadable"
MISSING_PART = "missing_part"
ENTRIES = "entries"
UNPACKED = "unpacked"
RATIO = "ratio"
MACROS = "macros"
NESTED = "nested"
XML_DTD = "xml_dtd"

#: The shared wording of each kind (the reason in ``projects.files.UPLOAD_UNSAFE_ARCHIVE``).
REASONS = {
    ENCRYPTED: N_("it is password-protected or in an old Office format"),
    UNREADABLE: N_("it is not a readable {ext} file"),
    MISSING_PART: N_("it is not a readable {ext} file"),
    ENTRIES: N_("{n} entries in the archive"),
    UNPACKED: N_("it unpacks to more than {limit} MB"),
    RATIO: N_("compression ratio over {ratio}:1"),
    MACROS: N_("it holds macros"),
    NESTED: N_("it holds a nested archive"),
    XML_DTD: N_("it holds XML with a DTD or entity declarations"),
}


class ContainerProblem(Exception):
    """Why a container is refused: ``kind`` (a constant above) and its ``detail``."""

    def __init__(self, kind: str, **detail):
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def describe(problem: ContainerProblem, *, ext: str = "") -> str:
    """The shared, translated reason for ``problem`` (``ext``: ".xlsx")."""
    return _(REASONS[problem.kind]).format(ext=ext, **problem.detail)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, None) or default)


def default_limits() -> dict:
    return {
        "max_entries": _setting("UPLOAD_ARCHIVE_MAX_ENTRIES", 10_000),
        "max_unpacked": _setting("UPLOAD_ARCHIVE_MAX_UNPACKED_MB", 200) * MB,
        "max_ratio": _setting("UPLOAD_ARCHIVE_MAX_RATIO", 200),
    }


class _Done(Exception):
    pass


class _Dtd(Exception):
    pass


def _declares_dtd(stream) -> bool:
    """Whether an XML stream declares a DTD before its root element (read up to there)."""

    def doctype(*_args):
        raise _Dtd

    def root(*_args):
        raise _Done

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = root
    read = 0
    try:
        while read < PROLOG_LIMIT:
            chunk = stream.read(4096)
            if not chunk:
                parser.Parse(b"", True)
                return False
            read += len(chunk)
            parser.Parse(chunk, False)
    except _Dtd:
        return True
    except (_Done, expat.ExpatError):
        return False  # the root element, or not XML at all (its reader refuses that)
    return True  # a prolog this long is not an Office file's


def _open_zip(source) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ContainerProblem(UNREADABLE) from None


def _check_entries(archive: zipfile.ZipFile, limits: dict, *, office: bool, nested: str, budget: list) -> None:
    infos = archive.infolist()
    if len(infos) > limits["max_entries"]:
        raise ContainerProblem(ENTRIES, n=len(infos))
    names = [info.filename.lower() for info in infos]
    if any(name.rsplit("/", 1)[-1] in MACRO_PARTS for name in names):
        raise ContainerProblem(MACROS)
    budget[0] -= sum(info.file_size for info in infos)
    if budget[0] < 0:
        total = limits["max_unpacked"] - budget[0]
        raise ContainerProblem(UNPACKED, limit=limits["max_unpacked"] // MB, total=total)
    ratio = limits["max_ratio"]
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
            raise ContainerProblem(RATIO, ratio=ratio)
    for info, name in zip(infos, names, strict=True):
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise ContainerProblem(ENCRYPTED)
        try:
            with archive.open(info) as entry:
                is_zip = entry.read(4).startswith(ZIP_MAGIC)
                if (is_zip or name.endswith(ARCHIVE_SUFFIXES)) and (office or nested != "check" or not is_zip):
                    raise ContainerProblem(NESTED)  # in an Office file, too deep, or of a kind not checked here
                if is_zip:
                    entry.seek(0)
                    _check_entries(_open_zip(entry), limits, office=False, nested="refuse", budget=budget)
                elif office and name.endswith(XML_SUFFIXES):
                    entry.seek(0)
                    if _declares_dtd(entry):
                        raise ContainerProblem(XML_DTD)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            raise ContainerProblem(UNREADABLE) from None


def check_container(
    source,
    *,
    office: bool = True,
    nested: str = "refuse",
    required_parts: tuple[str, ...] = (),
    max_entries: int | None = None,
    max_unpacked: int | None = None,
    max_ratio: int | None = None,
) -> None:
    """Refuse (``ContainerProblem``) a zip container that is unsafe to unpack.

    ``source``: a path or a seekable binary file (its position is put back to 0).
    ``office``: an Office file (no nested archive, no DTD in its XML parts); else a plain
    zip, whose archives inside are checked (``nested="check"``) or refused.
    """
    limits = default_limits()
    given = {"max_entries": max_entries, "max_unpacked": max_unpacked, "max_ratio": max_ratio}
    limits.update({key: value for key, value in given.items() if value is not None})
    is_path = isinstance(source, str | os.PathLike)
    if is_path:
        with open(source, "rb") as fh:
            head = fh.read(8)
    else:
        source.seek(0)
        head = source.read(8)
        source.seek(0)
    if head.startswith(OLE_MAGIC):
        raise ContainerProblem(ENCRYPTED)
    try:
        archive = _open_zip(Path(source) if is_path else source)
        with archive:
            names = set(archive.namelist())
            if len(names) <= limits["max_entries"] and any(part not in names for part in required_parts):
                raise ContainerProblem(MISSING_PART)
            _check_entries(archive, limits, office=office, nested=nested, budget=[limits["max_unpacked"]])
    finally:
        if not is_path:
            source.seek(0)
