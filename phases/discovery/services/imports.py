"""Requirement import from a CSV/XLSX file: all or nothing, one message per faulty row.

The file is checked first like every upload (``projects.files.validate_upload``: type,
size, content, container), then read by the shared guarded reader (``spreadsheets.read_rows``
on ``projects.tabular``: refused as soon as it passes ``REQUIREMENT_IMPORT_MAX_ROWS`` rows),
then every row is checked, and
only a file without a single problem creates requirements. Imports only create: a code
that already exists in the project is refused, never overwritten.
"""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from erpimpl.errors import DomainError, PayloadTooLarge
from phases.discovery import spreadsheets
from phases.discovery.models import BusinessArea, CurrentProcess, Requirement
from phases.discovery.services._base import C
from phases.discovery.services.requirements import AGREED_NEEDS_ASSESSMENT, BAD_CODE, CODE_RE
from projects.audit import audited
from projects.codes import next_codes
from projects.files import too_large, types_of, validate_upload
from projects.models import Project
from projects.roles import is_member, members_with, require

S = Requirement.Status

IMPORT_BAD_FILE = "{error}"
IMPORT_UNKNOWN_COLUMNS = "Unknown column(s): {columns}. Allowed columns: {allowed}."
IMPORT_MISSING_COLUMNS = "Missing required column(s): {columns}."
IMPORT_DUPLICATE_COLUMNS = "Column(s) appear more than once: {columns}."
IMPORT_NO_ROWS = "The file has no requirement rows."
IMPORT_ROW = "Row {row}: {message}"
IMPORT_BAD_CHOICE = "{column} {value!r} is not one of: {allowed}."
IMPORT_REQUIRED = "{column} is required."
IMPORT_DUPLICATE_IN_FILE = "code {code} appears more than once in the file (first on row {first})."
IMPORT_CODE_EXISTS = "code {code} already exists in this project."
IMPORT_UNKNOWN_OWNER = "owner {owner!r} is not a member of this project."
IMPORT_UNKNOWN_PROCESS = "current process {name!r} does not exist in this project."
IMPORT_AMBIGUOUS_PROCESS = "current process {name!r} exists in several business areas; rename one."
IMPORT_TOO_LONG = "{column} is longer than {limit} characters."
IMPORT_REFUSED = "The file was not imported ({count} problem(s)); nothing was saved."

#: The kinds of file an import takes.
IMPORT_TYPES = types_of(".csv", ".xlsx")


class ImportRefused(DomainError):
    """An import file was refused. ``errors`` lists one message per problem (row)."""

    def __init__(self, errors: list[str]):
        super().__init__(IMPORT_REFUSED.format(count=len(errors)), field="file")
        self.errors = errors


class ImportTooLarge(ImportRefused, PayloadTooLarge):
    """The file is over the size limit (the API answers 413)."""


#: Spreadsheet columns, in export order. ``internal_notes`` is exported to firm roles only.
IMPORT_COLUMNS = [
    "code",
    "title",
    "description",
    "business_area",
    "source",
    "priority",
    "fit_gap",
    "resolution",
    "status",
    "owner",
    "processes",
    "internal_notes",
]
REQUIRED_COLUMNS = ["title", "business_area"]
CHOICE_COLUMNS = {
    "business_area": BusinessArea,
    "source": Requirement.Source,
    "priority": Requirement.Priority,
    "fit_gap": Requirement.FitGap,
    "resolution": Requirement.Resolution,
    "status": Requirement.Status,
}
#: MoSCoW letters are accepted for priority, as clients often write them.
PRIORITY_LETTERS = {"m": "must", "s": "should", "c": "could", "w": "wont"}


def _choice_value(column: str, text: str) -> str | None:
    """The stored value for a cell: the value itself, or its English label (any case)."""
    choices = CHOICE_COLUMNS[column]
    lowered = text.strip().lower()
    if column == "priority" and lowered in PRIORITY_LETTERS:
        return PRIORITY_LETTERS[lowered]
    for value, label in choices.choices:
        if lowered == value.lower() or lowered == str(label).lower():
            return value
    return None


def _processes_by_name(project: Project) -> dict[str, list[CurrentProcess]]:
    found: dict[str, list[CurrentProcess]] = {}
    for process in project.current_processes.all():
        found.setdefault(process.name.strip().lower(), []).append(process)
    return found


class _Owners:
    """Owner cells by username (any case): members of the project; firm staff count too."""

    def __init__(self, project: Project):
        self.project = project
        self.known = {u.username.lower(): u for u in members_with(project, C.VIEW)}

    def get(self, username: str):
        key = username.lower()
        if key not in self.known:
            user = get_user_model().objects.filter(username__iexact=username).first()
            self.known[key] = user if user is not None and is_member(user, self.project) else None
        return self.known[key]


def _parse_requirement_rows(project: Project, header: list[str], rows) -> tuple[list[dict], list[str]]:
    errors = []
    unknown = [h or "(blank)" for h in header if h not in IMPORT_COLUMNS]
    if unknown:
        return [], [IMPORT_UNKNOWN_COLUMNS.format(columns=", ".join(unknown), allowed=", ".join(IMPORT_COLUMNS))]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        return [], [IMPORT_DUPLICATE_COLUMNS.format(columns=", ".join(duplicated))]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return [], [IMPORT_MISSING_COLUMNS.format(columns=", ".join(missing))]
    if not rows:
        return [], [IMPORT_NO_ROWS]
    owners = _Owners(project)
    processes = _processes_by_name(project)
    existing = {c.lower() for c in project.requirements.values_list("code", flat=True)}
    seen_codes: dict[str, int] = {}
    parsed = []
    for number, cells in rows:
        values = {column: (cells[i] if i < len(cells) else "") for i, column in enumerate(header)}
        row_errors = []
        record: dict = {"row": number}
        code = values.get("code", "")
        if code:
            key = code.lower()
            if not CODE_RE.match(code):
                row_errors.append(BAD_CODE)
            elif key in seen_codes:
                row_errors.append(IMPORT_DUPLICATE_IN_FILE.format(code=code, first=seen_codes[key]))
            elif key in existing:
                row_errors.append(IMPORT_CODE_EXISTS.format(code=code))
            seen_codes.setdefault(key, number)
        record["code"] = code
        for column in REQUIRED_COLUMNS:
            if not values.get(column):
                row_errors.append(IMPORT_REQUIRED.format(column=column))
        for column, limit in (("title", 300), ("code", 30)):
            if len(values.get(column, "")) > limit:
                row_errors.append(IMPORT_TOO_LONG.format(column=column, limit=limit))
        for column in CHOICE_COLUMNS:
            text = values.get(column, "")
            if not text:
                continue
            value = _choice_value(column, text)
            if value is None:
                allowed = ", ".join(v for v in CHOICE_COLUMNS[column].values if v)
                row_errors.append(IMPORT_BAD_CHOICE.format(column=column, value=text, allowed=allowed))
            else:
                record[column] = value
        owner = values.get("owner", "")
        if owner:
            user = owners.get(owner)
            if user is not None:
                record["owner"] = user
            else:
                row_errors.append(IMPORT_UNKNOWN_OWNER.format(owner=owner))
        linked = []
        for name in filter(None, (n.strip() for n in values.get("processes", "").split(";"))):
            matches = processes.get(name.lower(), [])
            if not matches:
                row_errors.append(IMPORT_UNKNOWN_PROCESS.format(name=name))
            elif len(matches) > 1:
                row_errors.append(IMPORT_AMBIGUOUS_PROCESS.format(name=name))
            else:
                linked.append(matches[0])
        record["processes"] = linked
        for column in ("title", "description", "internal_notes"):
            if values.get(column):
                record[column] = values[column]
        status = record.get("status", S.DRAFT)
        if status == S.AGREED and not (record.get("fit_gap") and record.get("resolution")):
            row_errors.append(AGREED_NEEDS_ASSESSMENT)
        errors.extend(IMPORT_ROW.format(row=number, message=e) for e in row_errors)
        parsed.append(record)
    return parsed, errors


@audited
def requirement_import(
    *, project: Project, by, filename: str, data: bytes, size: int | None = None
) -> list[Requirement]:
    """Create requirements from a CSV/XLSX file, all or nothing. Blank codes get REQ-nnn.

    ``size``: the uploaded file's size, when ``data`` holds only its first bytes (a door
    reads at most one byte past ``MAX_IMPORT_BYTES``)."""
    require(by, project, C.EDIT)
    if size is not None and size > spreadsheets.MAX_IMPORT_BYTES:
        raise ImportTooLarge([too_large(size, spreadsheets.MAX_IMPORT_BYTES).message])
    try:
        validate_upload(ContentFile(data, name=filename), types=IMPORT_TYPES, max_bytes=spreadsheets.MAX_IMPORT_BYTES)
    except PayloadTooLarge as exc:
        raise ImportTooLarge([exc.message]) from None
    except DomainError as exc:
        raise ImportRefused([exc.message]) from None
    try:
        header, rows = spreadsheets.read_rows(filename, data)
    except spreadsheets.SpreadsheetError as exc:
        raise ImportRefused([IMPORT_BAD_FILE.format(error=str(exc))]) from None
    parsed, errors = _parse_requirement_rows(project, header, rows)
    if errors:
        raise ImportRefused(errors)
    created = []
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        taken = {c.lower() for c in project.requirements.values_list("code", flat=True)}
        clash = [r for r in parsed if r["code"] and r["code"].lower() in taken]
        if clash:  # someone created the code since the check above
            raise ImportRefused(
                [IMPORT_ROW.format(row=r["row"], message=IMPORT_CODE_EXISTS.format(code=r["code"])) for r in clash]
            )
        fresh = iter(next_codes(Requirement, project, "REQ", sum(1 for r in parsed if not r["code"])))
        for record in parsed:
            record.pop("row")
            processes = record.pop("processes")
            code = record.pop("code") or next(fresh)
            requirement = Requirement(project=project, code=code, **record)
            # codes were checked above under the project lock; skip the per-row uniqueness queries
            requirement.full_clean(validate_unique=False, validate_constraints=False)
            requirement.save()
            if processes:
                requirement.processes.set(processes)
            created.append(requirement)
    return created
