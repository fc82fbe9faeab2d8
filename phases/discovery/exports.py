"""Files that leave Discovery & Planning: the requirement spreadsheet and plan documents.

Both the dashboard views and the API answer with these (one response, the same headers:
``projects.files.attachment_response``), so neither imports the other.
"""

from django.utils import timezone

from phases.discovery import spreadsheets
from phases.discovery.services.imports import IMPORT_COLUMNS
from projects.files import attachment_response
from projects.roles import Capability, can, require

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_format(value) -> str:
    """``xlsx`` when asked for, else ``csv``."""
    return "xlsx" if value == "xlsx" else "csv"


def requirement_export_rows(*, requirements, include_internal: bool) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a requirement spreadsheet (internal notes only when asked)."""
    header = [c for c in IMPORT_COLUMNS if include_internal or c != "internal_notes"]
    rows = []
    for req in requirements:
        values = {
            "code": req.code,
            "title": req.title,
            "description": req.description,
            "business_area": req.business_area,
            "source": req.source,
            "priority": req.priority,
            "fit_gap": req.fit_gap,
            "resolution": req.resolution,
            "status": req.status,
            "owner": req.owner.username if req.owner_id else "",
            "processes": "; ".join(p.name for p in req.processes.all()),
            "internal_notes": req.internal_notes,
        }
        rows.append([values[c] for c in header])
    return header, rows


def requirement_export(*, project, by, requirements, fmt: str) -> bytes:
    """The given (already scoped) requirements as CSV or XLSX. Internal notes only for firm roles."""
    require(by, project, Capability.VIEW)
    header, rows = requirement_export_rows(
        requirements=requirements, include_internal=can(by, project, Capability.VIEW_INTERNAL)
    )
    if fmt == "xlsx":
        return spreadsheets.write_xlsx(header, rows)
    return spreadsheets.write_csv(header, rows)


def requirement_export_response(*, project, by, requirements, fmt: str):
    """The export as a download named ``<code>-requirements-<date>.<fmt>``."""
    fmt = export_format(fmt)
    data = requirement_export(project=project, by=by, requirements=requirements.order_by("code"), fmt=fmt)
    filename = f"{project.code}-requirements-{timezone.localdate().isoformat()}.{fmt}"
    return attachment_response(data, filename=filename, content_type=CONTENT_TYPES[fmt])


def plan_document_response(document):
    """A stored plan document as a download under the name it was uploaded with."""
    return attachment_response(document.file, filename=document.original_name, content_type=document.content_type)
