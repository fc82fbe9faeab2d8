"""XLSX export of the traceability matrix, streamed.

The rows come a chunk of requirements at a time (``TraceMatrix.lines``) into a write-only
workbook (openpyxl keeps no rows in memory); the finished file is sent in 64 KiB pieces.

Every cell is written as text; a cell starting with ``= + - @``, a tab, a carriage return
or NUL gets a leading ``'`` so a spreadsheet never runs it as a formula (CSV/XLSX
injection, RELIABILITY D9).
"""

import tempfile
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, TYPE_STRING
from openpyxl.styles import Font

from projects.spreadsheets import escape_cell

WIDTHS = (14, 40, 12, 30, 30, 36, 24, 36, 12)


def _text_row(sheet, values, *, font=None) -> list:
    """The values as text cells. openpyxl reads an escaped string as text by itself, except
    an error code such as ``#N/A``: only those (and styled cells) get a cell of their own."""
    cells = []
    for value in values:
        text = escape_cell(value)
        if font is None and text not in ERROR_CODES:
            cells.append(text)
            continue
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = TYPE_STRING
        if font is not None:
            cell.font = font
        cells.append(cell)
    return cells


def _labels() -> dict:
    """Display labels, translated once per export (not once per cell)."""
    from phases.discovery.models import Requirement
    from testing.models import Defect
    from testing.selectors import COVERAGE_LABELS

    return {
        "coverage": {key: _(label) for key, label in COVERAGE_LABELS.items()},
        "status": {key: str(label) for key, label in Requirement._meta.get_field("status").choices},
        "severity": {key: str(label) for key, label in Defect.Severity.choices},
    }


def _matrix_line(row, labels) -> list:
    req = row.requirement
    return [
        req.code,
        req.title,
        labels["status"].get(req.status, req.status),
        "\n".join(f"{d.code} {d.name}" for d in row.designs),
        "\n".join(f"{i.code} {i.title}" for i in row.items),
        "\n".join(f"{c.case.code} {c.case.title}" for c in row.cases),
        "\n".join(f"{c.case.code}: {c.result_label}" for c in row.cases),
        "\n".join(f"{d.code} ({labels['severity'].get(d.severity, d.severity)}) {d.title}" for d in row.open_defects),
        labels["coverage"][row.coverage],
    ]


def traceability_xlsx(project, chunks: Iterable[list], coverage) -> Iterator[bytes]:
    """The workbook's bytes: the matrix (every row of ``chunks``) and a sheet of figures."""
    labels = _labels()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Traceability")[:31])
    for n, width in enumerate(WIDTHS):
        sheet.column_dimensions["ABCDEFGHI"[n]].width = width
    header = [
        _("Requirement"),
        _("Title"),
        _("Status"),
        _("Designs"),
        _("Development items"),
        _("Test cases"),
        _("Latest results"),
        _("Open defects"),
        _("Coverage"),
    ]
    sheet.append(_text_row(sheet, header, font=Font(bold=True)))
    for chunk in chunks:
        for row in chunk:
            sheet.append(_text_row(sheet, _matrix_line(row, labels)))

    summary = workbook.create_sheet(_("Coverage")[:31])
    for label, value in (
        (_("Project"), project.code),
        (_("Agreed requirements"), coverage.agreed_requirements),
        (_("Agreed requirements without a test"), coverage.agreed_without_test),
        (_("Test cases"), coverage.cases),
        (_("Test cases not run"), coverage.cases_not_run),
        (_("Test cases failed"), coverage.cases_failed),
        (_("Test cases blocked"), coverage.cases_blocked),
        (_("Test cases passed"), coverage.cases_passed),
        (_("Open defects"), coverage.open_defects),
    ):
        summary.append([escape_cell(label), value if isinstance(value, int) else escape_cell(value)])
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        workbook.save(tmp.name)
        tmp.seek(0)
        yield from iter(lambda: tmp.read(1 << 16), b"")
