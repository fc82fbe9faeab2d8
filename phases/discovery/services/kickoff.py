"""Writes of the kick-off and its people: stakeholders, the meeting, the RACI matrix."""

from django.contrib.auth import get_user_model
from django.db import transaction

from erpimpl.errors import DomainError
from phases.discovery.models import Kickoff, RaciActivity, RaciAssignment, Stakeholder
from phases.discovery.selectors import person_key
from phases.discovery.services._base import C, check_member, check_same_project, delete_row, save_new
from projects.audit import audited
from projects.models import Project
from projects.roles import is_member, require
from projects.updating import apply_update

RACI_ONE_ACCOUNTABLE = "Activity “{activity}” has more than one Accountable (A); keep exactly one."
RACI_UNKNOWN_PERSON = "Column {person} is not a member or stakeholder of this project."
RACI_BAD_LETTER = "{letter!r} is not a RACI letter (use R, A, C or I)."
RACI_EMPTY_ACTIVITY = "Every RACI row needs an activity name."

# --- stakeholders ---------------------------------------------------------------------

STAKEHOLDER_FIELDS = {"name", "organisation", "title", "email", "phone", "influence", "interest", "user", "notes"}


@audited
def stakeholder_create(*, project: Project, by, **fields) -> Stakeholder:
    require(by, project, C.EDIT)
    check_member(project, fields.get("user"), field="user")
    with transaction.atomic():
        return save_new(Stakeholder(project=project, **fields))


@audited
def stakeholder_update(*, stakeholder: Stakeholder, by, version: int, **changes) -> Stakeholder:
    require(by, stakeholder.project, C.EDIT)
    if "user" in changes:
        check_member(stakeholder.project, changes["user"], field="user", current=stakeholder.user)
    return apply_update(stakeholder, version=version, changes=changes, allowed=STAKEHOLDER_FIELDS)


@audited
def stakeholder_delete(*, stakeholder: Stakeholder, by) -> None:
    delete_row(stakeholder, by=by)


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


def _check_attendees(project: Project, fields: dict, kickoff: Kickoff | None = None) -> None:
    """Attending members belong to the project; stakeholders are the project's.
    Attendees the kick-off already lists are not checked again."""
    present = {u.pk for u in kickoff.attendee_members.all()} if kickoff is not None else set()
    for user in fields.get("attendee_members") or ():
        if user.pk not in present:
            check_member(project, user, field="attendee_members")
    check_same_project(project, fields.get("attendee_stakeholders"), "attendee_stakeholders")


@audited
def kickoff_create(*, project: Project, by, attendee_members=(), attendee_stakeholders=(), **fields) -> Kickoff:
    require(by, project, C.EDIT)
    _check_attendees(project, {"attendee_members": attendee_members, "attendee_stakeholders": attendee_stakeholders})
    with transaction.atomic():
        return save_new(
            Kickoff(project=project, **fields),
            {"attendee_members": attendee_members, "attendee_stakeholders": attendee_stakeholders},
        )


@audited
def kickoff_update(*, kickoff: Kickoff, by, version: int, **changes) -> Kickoff:
    require(by, kickoff.project, C.EDIT)
    _check_attendees(kickoff.project, changes, kickoff)
    return apply_update(kickoff, version=version, changes=changes, allowed=KICKOFF_FIELDS)


@audited
def kickoff_delete(*, kickoff: Kickoff, by) -> None:
    delete_row(kickoff, by=by)


def _raci_people(kickoff: Kickoff) -> dict:
    """``{key: (user, stakeholder)}`` known without asking: the project's stakeholders and the
    people the kick-off already names (attendees, columns of the matrix)."""
    people = {person_key(stakeholder=s): (None, s) for s in kickoff.project.stakeholders.all()}
    for user in kickoff.attendee_members.all():
        people[person_key(user=user)] = (user, None)
    for cell in RaciAssignment.objects.filter(activity__kickoff=kickoff, user__isnull=False).select_related("user"):
        people[person_key(user=cell.user)] = (cell.user, None)
    return people


def _raci_person(project: Project, people: dict, key: str):
    """The (user, stakeholder) of a column key, or ``None``: a member of the project (firm
    staff count as members), a stakeholder of the project, or someone the kick-off names."""
    if key not in people and key[:1] == "u" and key[1:].isdigit():
        user = get_user_model().objects.filter(pk=int(key[1:])).first()
        if user is not None and is_member(user, project):
            people[key] = (user, None)
    return people.get(key)


@audited
def kickoff_set_raci(*, kickoff: Kickoff, by, version: int, rows: list[dict]) -> Kickoff:
    """Replace the RACI matrix. ``rows``: ``[{"activity": str, "cells": {"u<id>"|"s<id>": "R"}}]``.

    A person is a project member (``u`` + user id) or a stakeholder of the project
    (``s`` + stakeholder id). Each activity has at most one Accountable.
    """
    project = kickoff.project
    require(by, project, C.EDIT)
    people = _raci_people(kickoff)
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
            person = _raci_person(project, people, key)
            if person is None:
                raise DomainError(RACI_UNKNOWN_PERSON.format(person=key), field="rows")
            cells.append((*person, letter))
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
