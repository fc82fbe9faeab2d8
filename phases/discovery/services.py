"""Every write of Discovery & Planning. Keyword-only functions taking the acting user as ``by``.

Capabilities: reading is ``VIEW``; every edit (kick-off, stakeholders, processes,
requirements, RAID log, rollout waves, plan documents, requesting the sign-off) is
``EDIT``; deciding the discovery sign-off is ``APPROVE`` (through ``projects``' Approval).

Requirement import is all-or-nothing: every row is checked first and the file is refused
with one message per faulty row, so nothing is half-saved. Imports create requirements;
a code that already exists in the project is refused (no silent overwrite).
"""

import os
import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from erpimpl.errors import DomainError
from phases.discovery import spreadsheets
from phases.discovery.models import (
    BusinessArea,
    CurrentProcess,
    DiscoverySignoff,
    Kickoff,
    PlanDocument,
    RaciActivity,
    RaciAssignment,
    RaidItem,
    Requirement,
    RolloutSite,
    RolloutWave,
    Stakeholder,
)
from projects import services as project_services
from projects.audit import audited
from projects.codes import next_codes
from projects.models import Approval, Phase, PhaseKind, Project
from projects.roles import Capability, require
from projects.updating import apply_update, lock

C = Capability

NOT_A_MEMBER = "{user} is not a member of this project."
OTHER_PROJECT = "{name} belongs to another project."
CODE_TAKEN = "Requirement code {code} is already used in this project."
BAD_CODE = "A requirement code uses letters, digits, '-', '_' or '.', e.g. REQ-001."
AGREED_NEEDS_ASSESSMENT = "An agreed requirement needs its fit/gap and its resolution."
ILLEGAL_TRANSITION = "A requirement cannot go from {from_status} to {to_status}."
RACI_ONE_ACCOUNTABLE = "Activity “{activity}” has more than one Accountable (A); keep exactly one."
RACI_UNKNOWN_PERSON = "Column {person} is not a member or stakeholder of this project."
RACI_BAD_LETTER = "{letter!r} is not a RACI letter (use R, A, C or I)."
RACI_EMPTY_ACTIVITY = "Every RACI row needs an activity name."
SITE_INCOMPLETE = "Each site needs a company and a site name."
DOC_TOO_LARGE = "The file is {size} MB; the limit is {limit} MB."
DOC_BAD_TYPE = "Files of type {ext} are not accepted. Allowed: {allowed}."
DOC_CONTENT_MISMATCH = "The file's content does not match its {ext} extension."
DOC_EMPTY = "The file is empty."
SIGNOFF_PENDING = "A discovery sign-off is already waiting for a decision."
SIGNOFF_NOTHING_AGREED = "Nothing to sign off yet: no requirement is agreed."
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


class ImportRefused(DomainError):
    """An import file was refused. ``errors`` lists one message per problem (row)."""

    def __init__(self, errors: list[str]):
        super().__init__(IMPORT_REFUSED.format(count=len(errors)), field="file")
        self.errors = errors


def _check_member(project: Project, user, field: str = "owner") -> None:
    if user is not None and not (project.memberships.filter(user=user).exists()):
        raise DomainError(NOT_A_MEMBER.format(user=user), field=field)


def _check_same_project(project: Project, objects, field: str) -> None:
    for obj in objects or ():
        if obj.project_id != project.pk:
            raise DomainError(OTHER_PROJECT.format(name=obj), field=field)


def _save_new(instance, m2m: dict | None = None):
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


def _delete(instance, *, by) -> None:
    require(by, instance.project, C.EDIT)
    with transaction.atomic():
        lock(instance).delete()


# --- stakeholders ---------------------------------------------------------------------

STAKEHOLDER_FIELDS = {"name", "organisation", "title", "email", "phone", "influence", "interest", "user", "notes"}


@audited
def stakeholder_create(*, project: Project, by, **fields) -> Stakeholder:
    require(by, project, C.EDIT)
    _check_member(project, fields.get("user"), field="user")
    with transaction.atomic():
        return _save_new(Stakeholder(project=project, **fields))


@audited
def stakeholder_update(*, stakeholder: Stakeholder, by, version: int, **changes) -> Stakeholder:
    require(by, stakeholder.project, C.EDIT)
    if "user" in changes:
        _check_member(stakeholder.project, changes["user"], field="user")
    return apply_update(stakeholder, version=version, changes=changes, allowed=STAKEHOLDER_FIELDS)


@audited
def stakeholder_delete(*, stakeholder: Stakeholder, by) -> None:
    _delete(stakeholder, by=by)


# --- kick-off -------------------------------------------------------------------------

KICKOFF_FIELDS = {
    "title",
    "meeting_date",
    "location",
    "attendee_members",
    "attendee_stakeholders",
    "goals",
    "scope_in",
    "scope_out",
    "schedule_summary",
    "expectations",
    "ground_rules",
}


def _check_attendees(project: Project, fields: dict) -> None:
    for user in fields.get("attendee_members") or ():
        _check_member(project, user, field="attendee_members")
    _check_same_project(project, fields.get("attendee_stakeholders"), "attendee_stakeholders")


@audited
def kickoff_create(*, project: Project, by, attendee_members=(), attendee_stakeholders=(), **fields) -> Kickoff:
    require(by, project, C.EDIT)
    _check_attendees(project, {"attendee_members": attendee_members, "attendee_stakeholders": attendee_stakeholders})
    with transaction.atomic():
        return _save_new(
            Kickoff(project=project, **fields),
            {"attendee_members": attendee_members, "attendee_stakeholders": attendee_stakeholders},
        )


@audited
def kickoff_update(*, kickoff: Kickoff, by, version: int, **changes) -> Kickoff:
    require(by, kickoff.project, C.EDIT)
    _check_attendees(kickoff.project, changes)
    return apply_update(kickoff, version=version, changes=changes, allowed=KICKOFF_FIELDS)


@audited
def kickoff_delete(*, kickoff: Kickoff, by) -> None:
    _delete(kickoff, by=by)


def _person_key(user=None, stakeholder=None) -> str:
    return f"u{user.pk}" if user is not None else f"s{stakeholder.pk}"


@audited
def kickoff_set_raci(*, kickoff: Kickoff, by, version: int, rows: list[dict]) -> Kickoff:
    """Replace the RACI matrix. ``rows``: ``[{"activity": str, "cells": {"u<id>"|"s<id>": "R"}}]``.

    A person is a project member (``u`` + user id) or a stakeholder of the project
    (``s`` + stakeholder id). Each activity has at most one Accountable.
    """
    project = kickoff.project
    require(by, project, C.EDIT)
    users = {f"u{u.pk}": u for u in get_user_model().objects.filter(memberships__project=project)}
    stakeholders = {f"s{s.pk}": s for s in project.stakeholders.all()}
    plan = []
    for row in rows:
        name = (row.get("activity") or "").strip()
        if not name:
            raise DomainError(RACI_EMPTY_ACTIVITY, field="rows")
        cells = []
        for key, letter in (row.get("cells") or {}).items():
            letter = (letter or "").strip().upper()
            if not letter:
                continue
            if letter not in RaciAssignment.Letter.values:
                raise DomainError(RACI_BAD_LETTER.format(letter=letter), field="rows")
            if key not in users and key not in stakeholders:
                raise DomainError(RACI_UNKNOWN_PERSON.format(person=key), field="rows")
            cells.append((users.get(key), stakeholders.get(key), letter))
        if sum(1 for *_, letter in cells if letter == "A") > 1:
            raise DomainError(RACI_ONE_ACCOUNTABLE.format(activity=name), field="rows")
        plan.append((name, cells))
    with transaction.atomic():
        current = apply_update(kickoff, version=version, changes={}, allowed=set())
        current.raci_activities.all().delete()
        for order, (name, cells) in enumerate(plan, start=1):
            activity = RaciActivity.objects.create(kickoff=current, name=name, order=order)
            for user, stakeholder, letter in cells:  # one save each, so every cell is in the audit trail
                RaciAssignment.objects.create(activity=activity, user=user, stakeholder=stakeholder, letter=letter)
    return current


def raci_matrix(kickoff: Kickoff) -> dict:
    """The matrix for display: columns (people) and rows (activity, letters per column)."""
    activities = list(kickoff.raci_activities.prefetch_related("assignments__user", "assignments__stakeholder"))
    people = {}
    for user in kickoff.attendee_members.all():
        people[_person_key(user=user)] = user.get_full_name() or user.username
    for stakeholder in kickoff.attendee_stakeholders.all():
        people[_person_key(stakeholder=stakeholder)] = str(stakeholder)
    for activity in activities:
        for cell in activity.assignments.all():
            key = _person_key(cell.user, cell.stakeholder)
            people.setdefault(key, str(cell.person.get_full_name() or cell.person) if cell.user else str(cell.person))
    columns = list(people.items())
    rows = []
    for activity in activities:
        letters = {_person_key(c.user, c.stakeholder): c.letter for c in activity.assignments.all()}
        rows.append({"activity": activity.name, "letters": [letters.get(key, "") for key, _label in columns]})
    return {"columns": columns, "rows": rows}


# --- current processes ----------------------------------------------------------------

PROCESS_FIELDS = {"business_area", "name", "as_is_description", "systems_used", "volumes", "pain_points", "owner"}


@audited
def current_process_create(*, project: Project, by, **fields) -> CurrentProcess:
    require(by, project, C.EDIT)
    _check_member(project, fields.get("owner"))
    with transaction.atomic():
        return _save_new(CurrentProcess(project=project, **fields))


@audited
def current_process_update(*, process: CurrentProcess, by, version: int, **changes) -> CurrentProcess:
    require(by, process.project, C.EDIT)
    if "owner" in changes:
        _check_member(process.project, changes["owner"])
    return apply_update(process, version=version, changes=changes, allowed=PROCESS_FIELDS)


@audited
def current_process_delete(*, process: CurrentProcess, by) -> None:
    _delete(process, by=by)


# --- requirements ---------------------------------------------------------------------

REQUIREMENT_FIELDS = {
    "title",
    "description",
    "business_area",
    "source",
    "priority",
    "fit_gap",
    "resolution",
    "status",
    "owner",
    "internal_notes",
    "processes",
}
S = Requirement.Status
REQUIREMENT_TRANSITIONS = {
    S.DRAFT: {S.REVIEWED, S.AGREED, S.DEFERRED, S.REJECTED},
    S.REVIEWED: {S.DRAFT, S.AGREED, S.DEFERRED, S.REJECTED},
    S.AGREED: {S.REVIEWED, S.DEFERRED, S.REJECTED},
    S.DEFERRED: {S.DRAFT, S.REVIEWED},
    S.REJECTED: {S.DRAFT},
}
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def _check_agreed(status, fit_gap, resolution) -> None:
    if status == S.AGREED and not (fit_gap and resolution):
        raise DomainError(AGREED_NEEDS_ASSESSMENT, field="status")


def _check_requirement_refs(project: Project, fields: dict) -> None:
    if "owner" in fields:
        _check_member(project, fields["owner"])
    _check_same_project(project, fields.get("processes"), "processes")


@audited
def requirement_create(*, project: Project, by, code: str = "", processes=(), **fields) -> Requirement:
    require(by, project, C.EDIT)
    _check_requirement_refs(project, {**fields, "processes": processes})
    _check_agreed(fields.get("status", S.DRAFT), fields.get("fit_gap"), fields.get("resolution"))
    code = (code or "").strip()
    if code and not CODE_RE.match(code):
        raise DomainError(BAD_CODE, field="code")
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)  # serialises code allocation
        if code and project.requirements.filter(code__iexact=code).exists():
            raise DomainError(CODE_TAKEN.format(code=code), field="code")
        code = code or next_codes(Requirement, project, "REQ")[0]
        return _save_new(Requirement(project=project, code=code, **fields), {"processes": processes})


@audited
def requirement_update(*, requirement: Requirement, by, version: int, **changes) -> Requirement:
    require(by, requirement.project, C.EDIT)
    _check_requirement_refs(requirement.project, changes)
    new_status = changes.get("status", requirement.status)
    if new_status != requirement.status and new_status not in REQUIREMENT_TRANSITIONS[requirement.status]:
        raise DomainError(
            ILLEGAL_TRANSITION.format(from_status=requirement.get_status_display(), to_status=S(new_status).label),
            field="status",
        )
    _check_agreed(
        new_status,
        changes.get("fit_gap", requirement.fit_gap),
        changes.get("resolution", requirement.resolution),
    )
    return apply_update(requirement, version=version, changes=changes, allowed=REQUIREMENT_FIELDS)


@audited
def requirement_delete(*, requirement: Requirement, by) -> None:
    _delete(requirement, by=by)


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


def requirement_export(*, project: Project, by, requirements, fmt: str) -> bytes:
    """Export the given (already scoped) requirements. Internal notes only for firm roles."""
    from projects.roles import can

    require(by, project, C.VIEW)
    header, rows = requirement_export_rows(
        requirements=requirements, include_internal=can(by, project, C.VIEW_INTERNAL)
    )
    if fmt == "xlsx":
        return spreadsheets.write_xlsx(header, rows)
    return spreadsheets.write_csv(header, rows)


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
    members = {u.username.lower(): u for u in get_user_model().objects.filter(memberships__project=project)}
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
            if owner.lower() in members:
                record["owner"] = members[owner.lower()]
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
def requirement_import(*, project: Project, by, filename: str, data: bytes) -> list[Requirement]:
    """Create requirements from a CSV/XLSX file, all or nothing. Blank codes get REQ-nnn."""
    require(by, project, C.EDIT)
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


# --- RAID log -------------------------------------------------------------------------

RAID_FIELDS = {
    "kind",
    "title",
    "description",
    "probability",
    "impact",
    "response",
    "owner",
    "due",
    "status",
    "internal",
}


@audited
def raid_item_create(*, project: Project, by, **fields) -> RaidItem:
    require(by, project, C.EDIT)
    _check_member(project, fields.get("owner"))
    with transaction.atomic():
        return _save_new(RaidItem(project=project, **fields))


@audited
def raid_item_update(*, item: RaidItem, by, version: int, **changes) -> RaidItem:
    require(by, item.project, C.EDIT)
    if "owner" in changes:
        _check_member(item.project, changes["owner"])
    return apply_update(item, version=version, changes=changes, allowed=RAID_FIELDS)


@audited
def raid_item_delete(*, item: RaidItem, by) -> None:
    _delete(item, by=by)


# --- rollout waves --------------------------------------------------------------------

WAVE_FIELDS = {"name", "sequence", "start_date", "golive_date", "description"}


def _replace_sites(wave: RolloutWave, sites) -> None:
    if sites is None:
        return
    wave.sites.all().delete()
    for site in sites:
        if not (site.get("company") or "").strip() or not (site.get("site") or "").strip():
            raise DomainError(SITE_INCOMPLETE, field="sites")
        _save_new(RolloutSite(wave=wave, **site))


@audited
def rollout_wave_create(*, project: Project, by, sites=(), **fields) -> RolloutWave:
    require(by, project, C.EDIT)
    with transaction.atomic():
        wave = _save_new(RolloutWave(project=project, **fields))
        _replace_sites(wave, list(sites))
    return wave


@audited
def rollout_wave_update(*, wave: RolloutWave, by, version: int, sites=None, **changes) -> RolloutWave:
    require(by, wave.project, C.EDIT)
    with transaction.atomic():
        current = apply_update(wave, version=version, changes=changes, allowed=WAVE_FIELDS)
        _replace_sites(current, sites)
    return current


@audited
def rollout_wave_delete(*, wave: RolloutWave, by) -> None:
    _delete(wave, by=by)


# --- plan documents -------------------------------------------------------------------

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
#: extension → (content type, magic prefixes the content must start with; empty: any text)
DOCUMENT_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain", ()),
    ".md": ("text/markdown", ()),
    ".csv": ("text/csv", ()),
}


def _check_document_file(upload) -> tuple[str, str]:
    """Validate size, extension and content of an upload; return (safe name, content type)."""
    name = os.path.basename(upload.name or "document").strip() or "document"
    ext = os.path.splitext(name)[1].lower()
    if ext not in DOCUMENT_TYPES:
        raise DomainError(
            DOC_BAD_TYPE.format(ext=ext or "(none)", allowed=", ".join(sorted(DOCUMENT_TYPES))), field="file"
        )
    if upload.size == 0:
        raise DomainError(DOC_EMPTY, field="file")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise DomainError(
            DOC_TOO_LARGE.format(size=round(upload.size / 1048576, 1), limit=MAX_DOCUMENT_BYTES // 1048576),
            field="file",
        )
    content_type, magics = DOCUMENT_TYPES[ext]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if magics and not any(head.startswith(m) for m in magics):
        raise DomainError(DOC_CONTENT_MISMATCH.format(ext=ext), field="file")
    if not magics:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
                raise DomainError(DOC_CONTENT_MISMATCH.format(ext=ext), field="file") from None
        if b"\x00" in head:
            raise DomainError(DOC_CONTENT_MISMATCH.format(ext=ext), field="file")
    return name, content_type


@audited
def plan_document_create(
    *, project: Project, by, file, kind: str, title: str, description: str = "", internal: bool = False
) -> PlanDocument:
    require(by, project, C.EDIT)
    name, content_type = _check_document_file(file)
    with transaction.atomic():
        document = PlanDocument(
            project=project,
            kind=kind,
            title=title,
            description=description,
            internal=internal,
            original_name=name,
            content_type=content_type,
            size=file.size,
            uploaded_by=by,
        )
        document.file.save(name, file, save=False)
        try:
            document.full_clean()
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
    return document


DOCUMENT_FIELDS = {"kind", "title", "description", "internal"}


@audited
def plan_document_update(*, document: PlanDocument, by, version: int, **changes) -> PlanDocument:
    require(by, document.project, C.EDIT)
    return apply_update(document, version=version, changes=changes, allowed=DOCUMENT_FIELDS)


@audited
def plan_document_delete(*, document: PlanDocument, by) -> None:
    require(by, document.project, C.EDIT)
    storage, path = document.file.storage, document.file.name
    with transaction.atomic():
        lock(document).delete()
        transaction.on_commit(lambda: storage.delete(path))


# --- discovery sign-off ---------------------------------------------------------------


def discovery_snapshot(project: Project) -> dict:
    agreed = project.requirements.filter(status=S.AGREED).order_by("code")
    return {
        "agreed_requirements": list(agreed.values_list("code", flat=True)),
        "requirements_total": project.requirements.count(),
        "current_processes": project.current_processes.count(),
        "stakeholders": project.stakeholders.count(),
        "kickoffs": project.kickoffs.count(),
        "rollout_waves": project.rollout_waves.count(),
        "plan_documents": project.plan_documents.filter(internal=False).count(),
        "open_client_visible_risks": project.raid_items.filter(
            kind=RaidItem.Kind.RISK, internal=False, status__in=[RaidItem.Status.OPEN, RaidItem.Status.IN_PROGRESS]
        ).count(),
    }


@audited
def discovery_signoff_request(*, project: Project, by, summary: str = "", approver=None) -> DiscoverySignoff:
    """Submit the discovery deliverables for the sponsor's sign-off (one pending at a time).

    The approval becomes the discovery phase's gate, so the phase can be completed only
    once it is approved.
    """
    require(by, project, C.EDIT)
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        if project.discovery_signoffs.filter(approval__decision=Approval.Decision.PENDING).exists():
            raise DomainError(SIGNOFF_PENDING)
        snapshot = discovery_snapshot(project)
        if not snapshot["agreed_requirements"]:
            raise DomainError(SIGNOFF_NOTHING_AGREED)
        signoff = _save_new(DiscoverySignoff(project=project, summary=summary, snapshot=snapshot))
        approval = project_services.approval_request(
            project=project,
            by=by,
            target=signoff,
            approver=approver,
            title=_("Discovery & Planning sign-off"),
        )
        signoff.approval = approval
        signoff.save(update_fields=["approval", "updated_at"])
        phase = Phase.objects.select_for_update().filter(project=project, kind=PhaseKind.DISCOVERY).first()
        if phase is not None:
            phase.gate_approval = approval
            phase.version += 1
            phase.save(update_fields=["gate_approval", "version", "updated_at"])
    return signoff


@audited
def discovery_signoff_decide(*, signoff: DiscoverySignoff, by, decision: str, comment: str = "") -> DiscoverySignoff:
    """Approve or reject: only roles that may approve (PM, sponsor); the named approver if any."""
    require(by, signoff.project, C.APPROVE)
    project_services.approval_decide(approval=signoff.approval, by=by, decision=decision, comment=comment)
    signoff.refresh_from_db()
    signoff.approval.refresh_from_db()
    return signoff
