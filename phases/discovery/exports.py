"""Files that leave Discovery & Planning: the requirement spreadsheet and plan documents.

Both the dashboard views and the API answer with these (the requirement export streamed by
``projects.spreadsheets.export_download``, documents by ``projects.files.attachment_response``),
so neither imports the other.
"""

from collections import defaultdict
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from phases.discovery.models import Requirement
from phases.discovery.services.imports import IMPORT_COLUMNS
from projects.files import attachment_response
from projects.roles import Capability, can, require
from projects.spreadsheets import csv_stream, export_download, xlsx_stream

UNKNOWN_FORMAT = N_("Choose file_format=csv or file_format=xlsx.")


class UnknownFormat(ValueError):
    """An export asked for in a format it does not come in."""


def export_format(value) -> str:
    """``csv`` (also when none is asked for) or ``xlsx``; anything else is refused."""
    if value in (None, "", "csv", "xlsx"):
        return value or "csv"
    raise UnknownFormat(gettext(UNKNOWN_FORMAT))


#: Export column → the requirement's value (``values_list`` path).
_COLUMN_SOURCES = {
    "code": "code",
    "title": "title",
    "description": "description",
    "business_area": "business_area",
    "source": "source",
    "priority": "priority",
    "fit_gap": "fit_gap",
    "resolution": "resolution",
    "status": "status",
    "owner": "owner__username",
    "internal_notes": "internal_notes",
}


def requirement_export_rows(*, requirements, include_internal: bool) -> Iterator[list[str]]:
    """The header, then one row per requirement (internal notes only when asked).

    Two queries whatever the size: the requirements' values, read a chunk at a time, and the
    names of their current processes (no model instances: 5,000 requirements made 22,000).
    """
    header = [c for c in IMPORT_COLUMNS if include_internal or c != "internal_notes"]
    yield header
    requirements = requirements.prefetch_related(None)
    processes = defaultdict(list)
    links = Requirement.processes.through.objects.filter(requirement__in=requirements.values("pk"))
    for requirement_id, name in links.order_by("currentprocess__business_area", "currentprocess__name").values_list(
        "requirement_id", "currentprocess__name"
    ):
        processes[requirement_id].append(name)
    columns = [c for c in header if c != "processes"]
    rows = requirements.values_list("pk", *(_COLUMN_SOURCES[c] for c in columns))
    for pk, *values in rows.iterator(chunk_size=2000):
        by_column = dict(zip(columns, values, strict=True))
        by_column["processes"] = "; ".join(processes.get(pk, ()))
        yield [by_column[c] if by_column[c] is not None else "" for c in header]


def _export_sheets(*, project, by, requirements) -> list:
    require(by, project, Capability.VIEW)
    rows = requirement_export_rows(
        requirements=requirements, include_internal=can(by, project, Capability.VIEW_INTERNAL)
    )
    return [("Requirements", rows)]


def requirement_export(*, project, by, requirements, fmt: str) -> bytes:
    """The given (already scoped) requirements as CSV or XLSX bytes. Internal notes only for firm roles."""
    sheets = _export_sheets(project=project, by=by, requirements=requirements)
    chunks = xlsx_stream(sheets) if fmt == "xlsx" else csv_stream(sheets[0][1])
    return b"".join(chunks)


def requirement_export_response(*, project, by, requirements, fmt: str):
    """The export as a streamed download named ``<code>-requirements-<date>.<fmt>``."""
    fmt = export_format(fmt)
    sheets = _export_sheets(project=project, by=by, requirements=requirements.order_by("code"))
    filename = f"{project.code}-requirements-{timezone.localdate().isoformat()}.{fmt}"
    return export_download(sheets, fmt=fmt, filename=filename)


def plan_document_response(document):
    """A stored plan document as a download under the name it was uploaded with."""
    return attachment_response(document.file, filename=document.original_name, content_type=document.content_type)
