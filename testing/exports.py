"""XLSX export of the traceability matrix.

Every cell is written as text; a cell starting with ``= + - @``, a tab, a carriage return
or NUL gets a leading ``'`` so a spreadsheet never runs it as a formula (CSV/XLSX
injection, RELIABILITY D9).
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

from projects.spreadsheets import escape_cell


def traceability_xlsx(project, rows, coverage) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Traceability")[:31]
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
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    from testing.selectors import COVERAGE_LABELS

    for row in rows:
        req = row.requirement
        values = [
            req.code,
            req.title,
            req.get_status_display(),
            "\n".join(f"{d.code} {d.name}" for d in row.designs),
            "\n".join(f"{i.code} {i.title}" for i in row.items),
            "\n".join(f"{c.case.code} {c.case.title}" for c in row.cases),
            "\n".join(f"{c.case.code}: {c.result_label}" for c in row.cases),
            "\n".join(f"{d.code} ({d.get_severity_display()}) {d.title}" for d in row.open_defects),
            _(COVERAGE_LABELS[row.coverage]),
        ]
        sheet.append([escape_cell(v) for v in values])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.data_type = TYPE_STRING
    for column, width in zip("ABCDEFGHI", (14, 40, 12, 30, 30, 36, 24, 36, 12), strict=True):
        sheet.column_dimensions[column].width = width

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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
