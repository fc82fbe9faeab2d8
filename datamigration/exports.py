"""Downloads: templates, row errors with the original rows, and staged records.

CSV is UTF-8 with a BOM (Excel opens Vietnamese text correctly), RFC 4180 quoting.
XLSX cells are written as text. In both, a text cell starting with ``= + - @``, a tab, a
carriage return or NUL is prefixed with ``'`` so a spreadsheet never runs it as a formula;
plain numbers such as ``-42`` are left as they are.

``template_download``, ``errors_download`` and ``records_download`` are the responses the
pages and the API both answer: streamed, with the download headers of
``projects.files.streaming_attachment`` (RFC 6266 name, ``nosniff``, CSP sandbox).
"""

from collections.abc import Iterator
from pathlib import Path

from django.http import StreamingHttpResponse

from datamigration import readers
from datamigration.models import FieldDefinition, MasterDataObject, MigrationRun, RowError, StagedRecord
from projects.files import streaming_attachment
from projects.spreadsheets import CONTENT_TYPES, csv_stream, xlsx_stream

ERRORS_COLUMN = "errors"
ROW_COLUMN = "row"


def _fields(obj: MasterDataObject) -> list[FieldDefinition]:
    return list(obj.fields.select_related("reference_object").order_by("order", "pk"))


def field_rules(definition: FieldDefinition) -> str:
    parts = [str(definition.get_type_display())]
    if definition.required:
        parts.append("required")
    if definition.unique:
        parts.append("unique key")
    if definition.max_length:
        parts.append(f"max {definition.max_length} characters")
    if definition.min_value is not None:
        parts.append(f">= {definition.min_value.normalize():f}")
    if definition.max_value is not None:
        parts.append(f"<= {definition.max_value.normalize():f}")
    if definition.choices:
        choices = [str(c) for c in definition.choices]
        parts.append("one of: " + ", ".join(choices[:12]) + (" ..." if len(choices) > 12 else ""))
    if definition.regex:
        parts.append(f"pattern {definition.regex}")
    if definition.check_digit:
        parts.append(f"{definition.get_check_digit_display()}")
    if definition.reference_object_id:
        parts.append(f"refers to {definition.reference_object.name}.{definition.reference_field}")
    if definition.description:
        parts.append(definition.description)
    return "; ".join(parts)


# --- templates ----------------------------------------------------------------------------


def template_rows(obj: MasterDataObject) -> tuple[list[str], list[str]]:
    fields = _fields(obj)
    return [f.name for f in fields], [f.example for f in fields]


def template_csv(obj: MasterDataObject) -> Iterator[bytes]:
    header, example = template_rows(obj)
    return csv_stream([header, example])


def template_xlsx(obj: MasterDataObject) -> Iterator[bytes]:
    header, example = template_rows(obj)
    rules = [["field", "label", "rules"]] + [[f.name, f.label, field_rules(f)] for f in _fields(obj)]
    return xlsx_stream([(obj.name, iter([header, example])), ("rules", iter(rules))])


# --- row errors ---------------------------------------------------------------------------


def _error_rows(run: MigrationRun, *, only_rows_with_errors=True) -> Iterator[list[str]]:
    """The upload's header + ``row`` + ``errors``, then each faulty original row with its messages."""
    upload = run.upload
    errors = (
        RowError.objects.filter(run=run)
        .order_by("row", "field")
        .values_list("row", "field", "message")
        .iterator(chunk_size=5000)
    )
    path = Path(upload.file.path)
    if not path.exists():  # the file was purged: the errors alone, without the original rows
        yield [ROW_COLUMN, "field", "kind", "message", "value"]
        for row in RowError.objects.filter(run=run).order_by("row", "field").iterator(chunk_size=5000):
            yield [str(row.row), row.field, row.kind, row.message, row.value]
        return
    pending = next(errors, None)
    records = readers.iter_records(
        path,
        fmt=upload.format,
        encoding=upload.encoding or "utf-8",
        delimiter=upload.delimiter or ",",
        sheet=upload.sheet,
        header_row=upload.header_row,
    )
    for number, cells in records:
        if number == 0:
            yield [ROW_COLUMN, *cells, ERRORS_COLUMN]
            continue
        if pending is None:
            break
        if pending[0] != number:
            continue
        messages = []
        while pending is not None and pending[0] == number:
            messages.append(f"{pending[1]}: {pending[2]}")
            pending = next(errors, None)
        yield [str(number), *cells, "; ".join(messages)]


def errors_csv(run: MigrationRun) -> Iterator[bytes]:
    return csv_stream(_error_rows(run))


def errors_xlsx(run: MigrationRun) -> Iterator[bytes]:
    return xlsx_stream([("errors", _error_rows(run))])


# --- staged records -----------------------------------------------------------------------


def _record_rows(obj: MasterDataObject) -> Iterator[list[str]]:
    names = [f.name for f in _fields(obj)]
    yield names
    records = (
        StagedRecord.objects.filter(project_id=obj.project_id, object=obj)
        .order_by("key")
        .values_list("data", flat=True)
        .iterator(chunk_size=5000)
    )
    for data in records:
        yield [data.get(name, "") for name in names]


def records_csv(obj: MasterDataObject) -> Iterator[bytes]:
    return csv_stream(_record_rows(obj))


def records_xlsx(obj: MasterDataObject) -> Iterator[bytes]:
    return xlsx_stream([(obj.name, _record_rows(obj))])


# --- responses ------------------------------------------------------------------------------

FORMATS = ("csv", "xlsx")


def _download(chunks: Iterator[bytes], *, filename: str, fmt: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    return streaming_attachment(response, filename=filename)


def template_download(obj: MasterDataObject, fmt: str) -> StreamingHttpResponse:
    chunks = template_xlsx(obj) if fmt == "xlsx" else template_csv(obj)
    return _download(chunks, filename=f"{obj.name}-template.{fmt}", fmt=fmt)


def errors_download(run: MigrationRun, fmt: str) -> StreamingHttpResponse:
    chunks = errors_xlsx(run) if fmt == "xlsx" else errors_csv(run)
    return _download(chunks, filename=f"run-{run.pk}-{run.object.name}-errors.{fmt}", fmt=fmt)


def records_download(obj: MasterDataObject, fmt: str) -> StreamingHttpResponse:
    chunks = records_xlsx(obj) if fmt == "xlsx" else records_csv(obj)
    return _download(chunks, filename=f"{obj.project.code}-{obj.name}.{fmt}", fmt=fmt)
