"""Uploads: store a CSV/XLSX file after checking it, guess and change its column mapping (UPLOAD_DATA)."""

import hashlib
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from datamigration import conf, readers
from datamigration.models import MasterDataObject, MigrationRun, Upload
from datamigration.services.objects import REFERENCE_OTHER_PROJECT
from erpimpl.errors import DomainError
from projects.audit import audited
from projects.files import CONTENT_CHECKED_BY_READER, too_large, validate_upload
from projects.models import Project
from projects.roles import Capability, require
from projects.updating import apply_update

__all__ = [
    "BAD_HEADER_ROW",
    "ENCODING_NOT_CSV",
    "ENCODING_RUN_ACTIVE",
    "FIELD_MAPPED_TWICE",
    "UPLOAD_TYPES",
    "UNKNOWN_COLUMN",
    "UNKNOWN_FIELD",
    "guess_mapping",
    "mapping_problems",
    "upload_change_encoding",
    "upload_create",
    "upload_update_mapping",
]

UNKNOWN_FIELD = "{field!r} is not a field of {object}."
FIELD_MAPPED_TWICE = "The field {field!r} is mapped to more than one column."
UNKNOWN_COLUMN = "The file has no column {column!r}."
BAD_HEADER_ROW = "The header row must be 1 or more."
ENCODING_NOT_CSV = N_("Only a CSV file has an encoding to change.")
ENCODING_RUN_ACTIVE = N_("A run of this file is queued or running; change the encoding once it has ended.")


#: The door's type table for ``projects.files.validate_upload`` (empty file, size,
#: extension). The leading bytes are not matched there (``CONTENT_CHECKED_BY_READER``): the content
#: check is ``readers``, stricter than the shared sniffing for these files — it detects a
#: CSV's encoding (UTF-8, UTF-16, Windows-1258/1252) and delimiter and refuses binary data,
#: and checks an XLSX for encryption, macros and this app's zip-bomb limits (configurable,
#: ratio 100:1) with messages that say what to do.
UPLOAD_TYPES = {
    ".csv": ("text/csv", CONTENT_CHECKED_BY_READER),
    ".txt": ("text/plain", CONTENT_CHECKED_BY_READER),
    ".tsv": ("text/tab-separated-values", CONTENT_CHECKED_BY_READER),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", CONTENT_CHECKED_BY_READER),
}


def _normalised_fields(obj: MasterDataObject) -> dict[str, str]:
    lookup = {}
    for name, label in obj.fields.values_list("name", "label"):
        lookup.setdefault(readers.normalise_header(name), name)
        if label:
            lookup.setdefault(readers.normalise_header(label), name)
    return lookup


def guess_mapping(obj: MasterDataObject, headers: Iterable[str]) -> dict[str, str]:
    """Column -> field: the saved mapping of the object first, then exact, then normalised names."""
    names = set(obj.fields.values_list("name", flat=True))
    by_key = _normalised_fields(obj)
    saved = obj.saved_mapping or {}
    mapping, taken = {}, set()
    headers = [h for h in headers if h]
    for rule in ("saved", "exact", "normalised"):
        for header in headers:
            if header in mapping:
                continue
            key = readers.normalise_header(header)
            if rule == "saved":
                field = saved.get(key)
            elif rule == "exact":
                field = header if header in names else None
            else:
                field = by_key.get(key)
            if field in names and field not in taken:
                mapping[header] = field
                taken.add(field)
    return mapping


def _store(source, suffix: str, project: Project) -> str:
    """Save under a generated name (the user's file name is only kept as data)."""
    return default_storage.save(f"datamigration/{project.pk}/{uuid.uuid4().hex}{suffix}", File(source))


def _blocks(file):
    if hasattr(file, "chunks"):
        yield from file.chunks()
    else:
        yield from iter(lambda: file.read(1 << 20), b"")


@audited
def upload_create(
    *,
    project: Project,
    object: MasterDataObject,
    by,
    file,
    original_name: str,
    encoding: str = "",
    sheet: str = "",
    header_row: int = 1,
) -> Upload:
    """Store a CSV/XLSX file and read its header; refuse anything unusable, storing nothing."""
    require(by, project, Capability.UPLOAD_DATA)
    if object.project_id != project.pk:
        raise DomainError(REFERENCE_OTHER_PROJECT, field="object")
    if header_row < 1:
        raise DomainError(BAD_HEADER_ROW, field="header_row")
    limit = conf.max_upload_bytes()
    original_name = Path(str(original_name or "upload.csv")).name[-200:] or "upload.csv"
    named = File(file, name=original_name)  # the name the user gave, whatever the file object is
    validate_upload(named, types=UPLOAD_TYPES, max_bytes=limit)  # extension, empty, size (413)
    with tempfile.NamedTemporaryFile(suffix=Path(original_name).suffix[:10]) as probe:
        # A private copy to inspect before anything is kept; hashed and counted on the way.
        digest, lines, last = hashlib.sha256(), 0, b""
        for block in _blocks(file):
            probe.write(block)
            digest.update(block)
            lines += block.count(b"\n")
            last = block
        if last and not last.endswith(b"\n"):
            lines += 1
        probe.flush()
        probe_path = Path(probe.name)
        if probe_path.stat().st_size > limit:  # a stream longer than its declared size
            raise too_large(probe_path.stat().st_size, limit)
        if probe_path.stat().st_size == 0:  # or shorter
            raise DomainError(readers.EMPTY_FILE, field="file")
        try:
            fmt = readers.sniff_format(probe_path, original_name)
            delimiter = ""
            if fmt == "xlsx":
                readers.check_xlsx(probe_path)
                sheets = readers.xlsx_sheet_names(probe_path)
                sheet = sheet or (sheets[0] if sheets else "")
                if sheet not in sheets:
                    raise readers.FileRejected(readers.UNKNOWN_SHEET.format(sheet=sheet))
                enc = detected = ""
            else:
                enc, delimiter = readers.check_text_file(probe_path, encoding or None)
                detected = readers.encoding_disagreement(probe_path, enc) if encoding else ""
            headers, has_data = readers.read_header(
                probe_path, fmt=fmt, encoding=enc or "utf-8", delimiter=delimiter, sheet=sheet, header_row=header_row
            )
        except readers.FileRejected as exc:
            raise DomainError(exc.message, field="file") from None
        if not has_data:
            raise DomainError(readers.HEADER_ONLY, field="file")
        with transaction.atomic():
            probe.seek(0)
            stored = _store(probe, f".{fmt}", project)
            size, sha = probe_path.stat().st_size, digest.hexdigest()
            try:
                upload = Upload(
                    project=project,
                    object=object,
                    file=stored,
                    original_name=original_name,
                    size=size,
                    sha256=sha,
                    format=fmt,
                    encoding=enc,
                    detected_encoding=detected,
                    delimiter=delimiter,
                    sheet=sheet,
                    header_row=header_row,
                    headers=headers,
                    row_estimate=max(lines - header_row, 1) if fmt == "csv" else None,
                    mapping=guess_mapping(object, headers),
                    uploaded_by=by,
                )
                upload.full_clean()
                upload.save()
            except Exception:
                default_storage.delete(stored)
                raise
    return upload


def mapping_problems(upload: Upload, mapping: dict[str, str]) -> list[str]:
    obj = upload.object
    names = set(obj.fields.values_list("name", flat=True))
    problems = []
    seen = set()
    for column, field in mapping.items():
        if column not in upload.headers:
            problems.append(UNKNOWN_COLUMN.format(column=column))
        if field not in names:
            problems.append(UNKNOWN_FIELD.format(field=field, object=obj.name))
        if field in seen:
            problems.append(FIELD_MAPPED_TWICE.format(field=field))
        seen.add(field)
    return problems


@audited
def upload_update_mapping(*, upload: Upload, by, mapping: dict[str, str], version: int | None = None) -> Upload:
    """Change the column mapping (column -> field; empty field = ignored) and remember it."""
    require(by, upload.project, Capability.UPLOAD_DATA)
    mapping = {str(c): str(f) for c, f in (mapping or {}).items() if f}
    problems = mapping_problems(upload, mapping)
    if problems:
        raise DomainError(" ".join(problems), field="mapping")
    with transaction.atomic():
        updated = apply_update(upload, version=version, changes={"mapping": mapping}, allowed={"mapping"})
        obj = MasterDataObject.objects.select_for_update().get(pk=upload.object_id)
        saved = dict(obj.saved_mapping or {})
        saved.update({readers.normalise_header(c): f for c, f in mapping.items()})
        obj.saved_mapping = saved
        obj.save(update_fields=["saved_mapping", "updated_at"])
    return updated


@audited
def upload_change_encoding(*, upload: Upload, by, encoding: str, version: int | None = None) -> Upload:
    """Read a CSV upload again in another encoding (blank: detect it); header, mapping and warning follow.

    Columns still in the header keep their mapping; columns that now read differently are
    mapped again as a new upload would be. Refused while a run of the file is active.
    """
    require(by, upload.project, Capability.UPLOAD_DATA)
    if upload.format != Upload.Format.CSV:
        raise DomainError(_(ENCODING_NOT_CSV), field="encoding")
    if upload.runs.filter(status__in=MigrationRun.ACTIVE).exists():
        raise DomainError(_(ENCODING_RUN_ACTIVE), field="encoding")
    path = Path(upload.file.path)
    try:
        enc, delimiter = readers.check_text_file(path, encoding or None)
        headers, _has_data = readers.read_header(
            path, fmt="csv", encoding=enc, delimiter=delimiter, header_row=upload.header_row
        )
    except readers.FileRejected as exc:
        raise DomainError(exc.message, field="encoding") from None
    kept = {column: field for column, field in upload.mapping.items() if column in headers}
    guessed = guess_mapping(upload.object, [h for h in headers if h not in kept])
    kept.update({column: field for column, field in guessed.items() if field not in kept.values()})
    changes = {
        "encoding": enc,
        "detected_encoding": readers.encoding_disagreement(path, enc) if encoding else "",
        "delimiter": delimiter,
        "headers": headers,
        "mapping": kept,
    }
    return apply_update(upload, version=version, changes=changes, allowed=set(changes))
