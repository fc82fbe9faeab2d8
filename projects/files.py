"""Files in and out: the one upload check and the one download response of every app.

``validate_upload(upload, types=..., max_bytes=..., field=...)`` refuses, with a
``DomainError`` on ``field``, a file that is empty, too large, of an extension not in
``types``, whose first bytes do not match that extension (content sniffing), a text file
that is not UTF-8 or holds NUL bytes (anywhere in it), and an Office/zip container that
``projects.containers.check_container`` refuses (not a sound zip, encrypted, macros, entry
count, unpacked size, compression ratio, nested archives, DTDs in an Office file's XML;
limits from settings). It returns the safe base name, extension and content type to store.

``attachment_response(handle, filename=..., content_type=...)`` serves a file or bytes as
an attachment: RFC 6266 ``Content-Disposition`` (``filename*`` in UTF-8 for Vietnamese
names), ``X-Content-Type-Options: nosniff`` and ``Content-Security-Policy: sandbox`` so a
stored file is never run as a page of this site.

The type tables below are the accepted kinds; an app picks one (or builds one from them).
"""

import codecs
import os
from dataclasses import dataclass

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from erpimpl.errors import DomainError, PayloadTooLarge
from projects.containers import ENCRYPTED, OLE_MAGIC, ContainerProblem, check_container, describe

UPLOAD_EMPTY = N_("The file is empty.")
UPLOAD_TOO_LARGE = N_("The file is {size} MB; the limit is {limit} MB.")
UPLOAD_BAD_TYPE = N_("Files of type {ext} are not accepted. Allowed: {allowed}.")
UPLOAD_CONTENT_MISMATCH = N_("The file's content does not match its {ext} extension.")
UPLOAD_UNSAFE_ARCHIVE = N_("The file was refused: {reason}.")
UPLOAD_NOT_UTF8 = N_("The file is not UTF-8 text (byte {at} is not). Save it as UTF-8 and upload it again.")
FILE_MISSING = N_("The file is missing from storage.")

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MB
SNIFF_BYTES = 4096
TEXT_BLOCK = 1 << 20

ZIP_MAGIC = (b"PK\x03\x04",)
TEXT = None  # accepted leading bytes ``None``: UTF-8 text without NUL bytes
#: Accepted leading bytes: any. For a caller whose own reader checks the content more
#: strictly than sniffing can (master data: encodings, its own zip limits).
CONTENT_CHECKED_BY_READER = (b"",)

#: extension → (content type, accepted leading bytes or ``TEXT``)
KNOWN_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP_MAGIC),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP_MAGIC),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP_MAGIC),
    ".zip": ("application/zip", ZIP_MAGIC),
    ".txt": ("text/plain", TEXT),
    ".log": ("text/plain", TEXT),
    ".md": ("text/markdown", TEXT),
    ".csv": ("text/csv", TEXT),
    ".bpmn": ("application/xml", TEXT),
}


def types_of(*extensions: str) -> dict[str, tuple[str, tuple[bytes, ...] | None]]:
    """A type table with just these extensions (``".pdf"``)."""
    return {ext: KNOWN_TYPES[ext] for ext in extensions}


#: Project documents (discovery plans, user guides).
DOCUMENT_TYPES = types_of(".pdf", ".docx", ".xlsx", ".pptx", ".png", ".jpg", ".jpeg", ".txt", ".md", ".csv")
#: Evidence of a test run, a verified requirement, a check.
EVIDENCE_TYPES = types_of(".png", ".jpg", ".jpeg", ".gif", ".pdf", ".xlsx", ".docx", ".txt", ".log", ".csv", ".zip")


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # the base name, safe to store and to offer back as a download name
    ext: str  # ".pdf"
    content_type: str
    size: int


def _text_problem(upload, ext: str) -> str | None:
    """Why the file is not UTF-8 text without NUL bytes, read from first byte to last; or ``None``.

    A fault in the first ``SNIFF_BYTES`` is a content mismatch; a later one names its place."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    upload.seek(0)
    try:
        for block in iter(lambda: upload.read(TEXT_BLOCK), b""):
            if b"\x00" in block:
                return _(UPLOAD_CONTENT_MISMATCH).format(ext=ext)
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                at = offset + exc.start
                return (
                    _(UPLOAD_CONTENT_MISMATCH).format(ext=ext) if at < SNIFF_BYTES else _(UPLOAD_NOT_UTF8).format(at=at)
                )
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return _(UPLOAD_NOT_UTF8).format(at=offset)
    finally:
        upload.seek(0)
    return None


def _archive_problem(upload, ext: str) -> str | None:
    """Why a zip container is unsafe to unpack (``projects.containers``), or ``None``.

    An Office file may hold no archive and no DTD; a plain .zip may hold archives one level
    deep, each checked the same way."""
    try:
        check_container(upload, office=ext != ".zip", nested="check")
    except ContainerProblem as problem:
        return describe(problem, ext=ext)
    return None


def too_large(size: int, limit: int, *, field: str = "file") -> PayloadTooLarge:
    """The refusal of a file of ``size`` bytes over ``limit`` (the API answers 413)."""
    return PayloadTooLarge(_(UPLOAD_TOO_LARGE).format(size=f"{size / MB:.1f}", limit=f"{limit / MB:.0f}"), field=field)


def validate_upload(upload, *, types, max_bytes: int = DEFAULT_MAX_BYTES, field: str = "file") -> CheckedUpload:
    """Check an uploaded file; raise ``DomainError(field=field)`` with the first problem."""
    name = os.path.basename((getattr(upload, "name", "") or "").replace("\\", "/")).strip() or "file"
    ext = os.path.splitext(name)[1].lower()
    if ext not in types:
        allowed = ", ".join(sorted(types))
        raise DomainError(_(UPLOAD_BAD_TYPE).format(ext=ext or _("(none)"), allowed=allowed), field=field)
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise DomainError(_(UPLOAD_EMPTY), field=field)
    if size > max_bytes:
        raise too_large(size, max_bytes, field=field)
    content_type, magic = types[ext]
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if magic is TEXT:
        problem = _text_problem(upload, ext)
        if problem:
            raise DomainError(problem, field=field)
    matches = magic is TEXT or any(head.startswith(m) for m in magic)
    if not matches and magic == ZIP_MAGIC and head.startswith(OLE_MAGIC):  # an encrypted or old Office file
        reason = describe(ContainerProblem(ENCRYPTED), ext=ext)
        raise DomainError(_(UPLOAD_UNSAFE_ARCHIVE).format(reason=reason), field=field)
    if not matches:
        raise DomainError(_(UPLOAD_CONTENT_MISMATCH).format(ext=ext), field=field)
    if magic == ZIP_MAGIC:  # a container: could it blow up when unpacked?
        problem = _archive_problem(upload, ext)
        if problem:
            raise DomainError(_(UPLOAD_UNSAFE_ARCHIVE).format(reason=problem), field=field)
    return CheckedUpload(name=name, ext=ext, content_type=content_type, size=size)


def _harden(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def attachment_response(content, *, filename: str, content_type: str = "application/octet-stream"):
    """``content`` (bytes, an open binary file, or a stored ``FieldFile``) as a download."""
    if hasattr(content, "open") and hasattr(content, "storage"):  # a FieldFile
        try:
            content = content.open("rb")
        except FileNotFoundError:
            raise Http404(_(FILE_MISSING)) from None
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return _harden(response)


def streaming_attachment(response, *, filename: str):
    """Give an already-built (e.g. streaming) response the download headers."""
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return _harden(response)
