"""Every write of the development app: items, their status moves, environments, releases.

Plain keyword-only functions taking the acting user as ``by``. Each checks the capability
first (``EDIT``: the consulting firm's PM and consultants), validates cross-object rules,
writes inside one transaction and returns the saved instance. Refusals raise
``DomainError`` with the message constants below (``ConflictError`` for a stale version).
"""

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from erpimpl.errors import STALE_VERSION, ConflictError, DomainError
from phases.development.models import DevelopmentItem, Environment, Release
from phases.development.selectors import first_transport_of
from phases.development.transitions import ITEM_TRANSITIONS, item_next_statuses
from projects.audit import audited
from projects.codes import next_number
from projects.models import Project
from projects.roles import Capability, can, require
from projects.updating import apply_update, lock

ILLEGAL_TRANSITION = "A development item cannot move from “{source}” to “{target}”. Allowed next steps: {allowed}."
UNKNOWN_STATUS = "“{status}” is not a status of development items."
NEEDS_ASSIGNEE = "Assign a developer before development starts."
ASSIGNEE_NOT_DEVELOPER = "{user} cannot be assigned: only the project's consultants and PM build development items."
OTHER_PROJECT = "This {what} belongs to another project."
STATUS_VIA_TRANSITION = "Change the status with a transition (the board or the transition action), not by editing."
ITEM_TRANSPORTED = "{code} was transported with {release}; cancel it instead of deleting it, so the history stays."
ENVIRONMENT_IN_USE = "This environment is used by releases; it cannot be deleted."
RELEASE_SAME_ENVIRONMENT = "A release moves items between two different environments."
RELEASE_BACKWARDS = (
    "A release moves items forward along the landscape: {target} (step {target_order}) does not come after "
    "{source} (step {source_order})."
)
RELEASE_ALREADY_TRANSPORTED = "This release was already transported on {date}; it can no longer change."
RELEASE_NOT_PLANNED = "Only a planned (or failed) release can be transported; this one is {status}."
RELEASE_EMPTY = "Add at least one development item before transporting the release."
RELEASE_ITEM_NOT_READY = "{code} is {status}; only dev-tested (or later) items can be transported."
RELEASE_TARGET_UNAVAILABLE = "The target environment {name} is {status}; it cannot receive a transport."
RELEASE_STATUS_VIA_TRANSPORT = "A release becomes transported only through the transport action."

ITEM_CODE_PREFIX = "DEV"
RELEASE_CODE_PREFIX = "REL"

ITEM_FIELDS = {
    "type",
    "title",
    "description",
    "complexity",
    "estimate_days",
    "assignee",
    "target_environment",
    "target_release",
    "external_system",
    "direction",
    "protocol",
    "frequency",
    "data_objects",
}
#: Links to the requirements and designs an item realises.
ITEM_M2M_FIELDS = {"requirements", "process_designs", "function_descriptions"}

ENVIRONMENT_FIELDS = {"name", "kind", "order", "url", "software_version", "status", "last_refresh", "description"}
RELEASE_FIELDS = {"title", "description", "source_environment", "target_environment", "planned_date", "items", "status"}
TRANSPORTABLE = {
    DevelopmentItem.Status.DEV_TESTED,
    DevelopmentItem.Status.READY_FOR_TEST,
    DevelopmentItem.Status.ACCEPTED,
}


# --- shared checks ---------------------------------------------------------------------


def _same_project(project: Project, obj, *, what: str, field: str) -> None:
    if obj is not None and obj.project_id != project.pk:
        raise DomainError(OTHER_PROJECT.format(what=what), field=field)


def _check_item_links(project: Project, fields: dict) -> None:
    assignee = fields.get("assignee")
    if assignee is not None and not can(assignee, project, Capability.EDIT):
        raise DomainError(ASSIGNEE_NOT_DEVELOPER.format(user=assignee.get_full_name() or assignee), field="assignee")
    _same_project(project, fields.get("target_environment"), what="environment", field="target_environment")
    _same_project(project, fields.get("target_release"), what="release", field="target_release")
    for name in ITEM_M2M_FIELDS:
        for obj in fields.get(name) or ():
            _same_project(project, obj, what=str(obj._meta.verbose_name), field=name)


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d}" if moment else "?"


# --- development items -----------------------------------------------------------------


@audited
def development_item_create(*, project: Project, by, **fields) -> DevelopmentItem:
    """Create an item in status *designed* with the next code of the project (``DEV-001``)."""
    require(by, project, Capability.EDIT)
    m2m = {name: fields.pop(name) for name in list(fields) if name in ITEM_M2M_FIELDS}
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise ValueError(f"not settable here: {', '.join(sorted(unknown))}")
    _check_item_links(project, {**fields, **m2m})
    with transaction.atomic():
        number = next_number(DevelopmentItem, project)
        item = DevelopmentItem(
            project=project, number=number, code=f"{ITEM_CODE_PREFIX}-{number:03d}", status_changed_at=timezone.now()
        )
        for name, value in fields.items():
            setattr(item, name, value)
        item.full_clean()
        item.save()
        for name, value in m2m.items():
            getattr(item, name).set(value)
    return item


@audited
def development_item_update(*, item: DevelopmentItem, by, version: int, **changes) -> DevelopmentItem:
    require(by, item.project, Capability.EDIT)
    if "status" in changes:
        raise DomainError(STATUS_VIA_TRANSITION, field="status")
    _check_item_links(item.project, changes)
    return apply_update(item, version=version, changes=changes, allowed=ITEM_FIELDS | ITEM_M2M_FIELDS)


@audited
def development_item_delete(*, item: DevelopmentItem, by) -> None:
    require(by, item.project, Capability.EDIT)
    transported = first_transport_of(item)
    if transported is not None:
        raise DomainError(ITEM_TRANSPORTED.format(code=item.code, release=transported.code))
    item.delete()


@audited
def development_item_transition(
    *, item: DevelopmentItem, by, to_status: str, version: int | None = None
) -> DevelopmentItem:
    """Move an item to ``to_status`` along ``ITEM_TRANSITIONS`` (with the capability the
    table names for that move).

    ``version`` is the version the caller saw (the board card, the API client): a stale one
    raises ``ConflictError`` and nothing changes. Starting development needs an assignee.
    """
    require(by, item.project, Capability.EDIT)
    if to_status not in DevelopmentItem.Status.values:
        raise DomainError(UNKNOWN_STATUS.format(status=to_status), field="to_status")
    with transaction.atomic():
        current = lock(item)
        if version is not None and current.version != version:
            raise ConflictError(STALE_VERSION.format(current=current.version))
        source = DevelopmentItem.Status(current.status)
        target = DevelopmentItem.Status(to_status)
        if target not in ITEM_TRANSITIONS.get(source, {}):
            allowed = ", ".join(f"“{DevelopmentItem.Status(s).label}”" for s in item_next_statuses(source))
            raise DomainError(
                ILLEGAL_TRANSITION.format(source=source.label, target=target.label, allowed=allowed or "none"),
                field="to_status",
            )
        require(by, current.project, ITEM_TRANSITIONS[source][target])
        if target == DevelopmentItem.Status.IN_DEVELOPMENT and current.assignee_id is None:
            raise DomainError(NEEDS_ASSIGNEE, field="to_status")
        current.status = target
        current.status_changed_at = timezone.now()
        current.version += 1
        current.full_clean()
        current.save(update_fields=["status", "status_changed_at", "version", "updated_at"])
    return current


# --- environments ----------------------------------------------------------------------


@audited
def environment_create(*, project: Project, by, **fields) -> Environment:
    require(by, project, Capability.EDIT)
    unknown = set(fields) - ENVIRONMENT_FIELDS
    if unknown:
        raise ValueError(f"not settable here: {', '.join(sorted(unknown))}")
    environment = Environment(project=project, **fields)
    environment.full_clean()
    environment.save()
    return environment


@audited
def environment_update(*, environment: Environment, by, version: int, **changes) -> Environment:
    require(by, environment.project, Capability.EDIT)
    return apply_update(environment, version=version, changes=changes, allowed=ENVIRONMENT_FIELDS)


@audited
def environment_delete(*, environment: Environment, by) -> None:
    require(by, environment.project, Capability.EDIT)
    try:
        with transaction.atomic():
            environment.delete()
    except (ProtectedError, RestrictedError) as exc:  # releases refer to it (deleted only with the project)
        raise DomainError(ENVIRONMENT_IN_USE) from exc


# --- releases (transports) -------------------------------------------------------------


def _check_release(project: Project, fields: dict, *, source=None, target=None) -> None:
    source = fields.get("source_environment", source)
    target = fields.get("target_environment", target)
    _same_project(project, fields.get("source_environment"), what="environment", field="source_environment")
    _same_project(project, fields.get("target_environment"), what="environment", field="target_environment")
    if source is not None and target is not None:
        if source.pk == target.pk:
            raise DomainError(RELEASE_SAME_ENVIRONMENT, field="target_environment")
        if target.order <= source.order:
            raise DomainError(
                RELEASE_BACKWARDS.format(
                    source=source.name, source_order=source.order, target=target.name, target_order=target.order
                ),
                field="target_environment",
            )
    for item in fields.get("items") or ():
        _same_project(project, item, what="development item", field="items")
    if fields.get("status") == Release.Status.TRANSPORTED:
        raise DomainError(RELEASE_STATUS_VIA_TRANSPORT, field="status")


@audited
def release_create(*, project: Project, by, items=(), **fields) -> Release:
    """Plan a release (transport) of ``items`` from one environment to another (code ``REL-001``)."""
    require(by, project, Capability.EDIT)
    unknown = set(fields) - RELEASE_FIELDS
    if unknown:
        raise ValueError(f"not settable here: {', '.join(sorted(unknown))}")
    _check_release(project, {**fields, "items": items})
    with transaction.atomic():
        number = next_number(Release, project)
        release = Release(project=project, number=number, code=f"{RELEASE_CODE_PREFIX}-{number:03d}", **fields)
        release.full_clean()
        release.save()
        release.items.set(items)
    return release


@audited
def release_update(*, release: Release, by, version: int, **changes) -> Release:
    require(by, release.project, Capability.EDIT)
    if release.status == Release.Status.TRANSPORTED:
        raise DomainError(RELEASE_ALREADY_TRANSPORTED.format(date=_day(release.transported_at)))
    _check_release(release.project, changes, source=release.source_environment, target=release.target_environment)
    return apply_update(release, version=version, changes=changes, allowed=RELEASE_FIELDS)


@audited
def release_delete(*, release: Release, by) -> None:
    require(by, release.project, Capability.EDIT)
    if release.status == Release.Status.TRANSPORTED:
        raise DomainError(RELEASE_ALREADY_TRANSPORTED.format(date=_day(release.transported_at)))
    release.delete()


@audited
def release_transport(*, release: Release, by, version: int | None = None) -> Release:
    """Record that the release's items were moved to the target environment, now, by ``by``.

    Refused unless the release is planned (or failed before), has items, every item is
    dev-tested or later, and the target environment can receive it. The items' current
    environment becomes the target.
    """
    require(by, release.project, Capability.EDIT)
    with transaction.atomic():
        current = lock(release)
        if version is not None and current.version != version:
            raise ConflictError(STALE_VERSION.format(current=current.version))
        if current.status == Release.Status.TRANSPORTED:
            raise DomainError(RELEASE_ALREADY_TRANSPORTED.format(date=_day(current.transported_at)))
        if current.status not in (Release.Status.PLANNED, Release.Status.FAILED):
            raise DomainError(RELEASE_NOT_PLANNED.format(status=current.get_status_display().lower()))
        items = list(current.items.select_for_update().order_by("pk"))
        if not items:
            raise DomainError(RELEASE_EMPTY, field="items")
        for item in items:
            if item.status not in TRANSPORTABLE:
                raise DomainError(
                    RELEASE_ITEM_NOT_READY.format(code=item.code, status=item.get_status_display().lower()),
                    field="items",
                )
        target = current.target_environment
        if target.status in (Environment.Status.UNAVAILABLE, Environment.Status.RETIRED):
            raise DomainError(
                RELEASE_TARGET_UNAVAILABLE.format(name=target.name, status=target.get_status_display().lower())
            )
        current.status = Release.Status.TRANSPORTED
        current.transported_at = timezone.now()
        current.transported_by = by
        current.version += 1
        current.full_clean()
        current.save()
        for item in items:
            item.current_environment = target
            item.version += 1
            item.save(update_fields=["current_environment", "version", "updated_at"])
    return current
