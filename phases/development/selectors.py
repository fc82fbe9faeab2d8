"""Read queries of the development app, shared by the board, lists, API and other apps.

Public for other apps (``testing``, ``golive``): ``development_item_list``,
``environment_list``, ``release_list``.
"""

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from phases.development.models import DevelopmentItem, Environment, Release
from phases.development.transitions import ITEM_TRANSITIONS
from projects.roles import allowed_moves
from projects.selectors import audit_entries, get_in_project


def history(*, user, target):
    """Audit entries of one object, as the user may read them (``projects.selectors.audit_entries``:
    the project's scoping, internal objects and fields left out for client roles)."""
    return audit_entries(user=user, target=target)


def history_rows(*, user, target, limit: int = 20) -> list[dict]:
    """The object's recent audit entries with readable changes: field labels, choice labels,
    related objects by name, link lists as "+ added" / "− removed". A creation is one line."""
    model = type(target)
    rows = []
    for entry in history(user=user, target=target)[:limit]:
        changes = []
        if entry.action == LogEntry.Action.UPDATE:
            display = entry.changes_display_dict
            for name, change in (entry.changes_dict or {}).items():
                try:
                    label = str(model._meta.get_field(name).verbose_name)
                except FieldDoesNotExist:
                    label = name
                if isinstance(change, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
                    sign = "+" if change.get("operation") == "add" else "−"
                    changes.append((label, "", f"{sign} {', '.join(map(str, change.get('objects', [])))}"))
                    continue
                old, new = (list(display.get(label, change)) + ["", ""])[:2]
                changes.append((label, "" if old == "None" else old, "" if new == "None" else new))
        rows.append({"entry": entry, "changes": changes})
    return rows


def development_item_list(*, user, filters=None, request=None, with_links=False):
    from phases.development.filters import DevelopmentItemFilterSet

    qs = DevelopmentItem.objects.visible_to(user).select_related(
        "project", "assignee", "target_environment", "target_release", "current_environment"
    )
    if with_links:
        qs = qs.prefetch_related("requirements", "process_designs", "function_descriptions")
    if filters is not None:
        qs = DevelopmentItemFilterSet(filters, queryset=qs, request=request).qs
    return qs


def development_item_get(*, user, project, pk) -> DevelopmentItem:
    return get_in_project(development_item_list(user=user, with_links=True), project=project, pk=pk)


def first_transport_of(item: DevelopmentItem) -> Release | None:
    """The first transported release that carried the item, if any."""
    return item.releases.filter(status=Release.Status.TRANSPORTED).order_by("number").first()


def environment_list(*, user, filters=None, request=None):
    from phases.development.filters import EnvironmentFilterSet

    qs = Environment.objects.visible_to(user).select_related("project")
    if filters is not None:
        qs = EnvironmentFilterSet(filters, queryset=qs, request=request).qs
    return qs


def environment_get(*, user, project, pk) -> Environment:
    return get_in_project(environment_list(user=user), project=project, pk=pk)


def release_list(*, user, filters=None, request=None):
    from phases.development.filters import ReleaseFilterSet

    qs = (
        Release.objects.visible_to(user)
        .select_related("project", "source_environment", "target_environment", "transported_by")
        .prefetch_related("items")
    )
    if filters is not None:
        qs = ReleaseFilterSet(filters, queryset=qs, request=request).qs
    return qs


def release_get(*, user, project, pk) -> Release:
    return get_in_project(release_list(user=user), project=project, pk=pk)


def release_items(release: Release):
    """The items of a release as its page lists them."""
    return release.items.select_related("project", "assignee", "current_environment").order_by("number")


def item_moves(*, user, item: DevelopmentItem) -> list[tuple[str, str]]:
    """``(status, label)`` of the moves this user may make with the item now."""
    return [
        (s, DevelopmentItem.Status(s).label)
        for s in allowed_moves(user, item.project_id, ITEM_TRANSITIONS, item.status)
    ]


@dataclass
class BoardColumn:
    status: str
    label: str
    items: list = field(default_factory=list)
    count: int = 0  # all the column's cards; ``items`` holds the first ``CARDS_PER_COLUMN``

    @property
    def more(self) -> int:
        return self.count - len(self.items)


#: Cards shown per column (by number); the item list, filtered by status, has the others.
CARDS_PER_COLUMN = 50


def board_columns(items, *, user, project, per_column: int = CARDS_PER_COLUMN) -> list[BoardColumn]:
    """The board: one column per status (in workflow order), each with its first ``per_column``
    cards (by number) and its count. Each card carries the moves this user may make
    (``allowed_targets``, and ``allowed_moves`` as ``(status, label)``), asked once per status.
    Two queries whatever the number of items: the counts, and the first cards of every column."""
    columns = {value: BoardColumn(status=value, label=label) for value, label in DevelopmentItem.Status.choices}
    for row in items.order_by().values("status").annotate(n=Count("pk")):
        columns[row["status"]].count = row["n"]
    first = items.annotate(
        place=Window(RowNumber(), partition_by=[F("status")], order_by=[F("number").asc(), F("pk").asc()])
    ).filter(place__lte=per_column)
    moves: dict[str, list[str]] = {}
    for item in first.order_by("number", "pk"):
        if item.status not in moves:
            moves[item.status] = allowed_moves(user, project, ITEM_TRANSITIONS, item.status)
        item.allowed_targets = moves[item.status]
        item.allowed_moves = [(value, DevelopmentItem.Status(value).label) for value in item.allowed_targets]
        columns[item.status].items.append(item)
    return list(columns.values())


def status_counts(*, user, project) -> dict[str, int]:
    rows = development_item_list(user=user).filter(project=project).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


# --- readiness figures (public for golive: no user, a readiness job reads them) -----------


def production_environments_for_readiness(*, project):
    """The project's production environments still in use (not retired), in promotion order,
    with their project (for their links). The go-live check calls each one's URL."""
    return (
        Environment.objects.filter(project=project, kind=Environment.Kind.PRODUCTION)
        .exclude(status=Environment.Status.RETIRED)
        .select_related("project")
        .order_by("order", "name")
    )
