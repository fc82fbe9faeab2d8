"""Read queries of the development app, shared by the board, lists, API and other apps.

Public for other apps (``testing``, ``golive``): ``development_item_list``,
``environment_list``, ``release_list``.
"""

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count
from django.shortcuts import get_object_or_404

from phases.development.models import DevelopmentItem, Environment, Release
from phases.development.transitions import allowed_targets
from projects.roles import Capability, project_ids_with


def history(*, target):
    """Audit entries of one object the caller has already fetched through a scoped selector.

    The object being visible is the scoping: development objects have no internal rows, and
    their internal fields (complexity, estimate) are not recorded in the trail at all.
    """
    return (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(target), object_pk=str(target.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )


def history_rows(*, target, limit: int = 20) -> list[dict]:
    """The object's recent audit entries with readable changes: field labels, choice labels,
    related objects by name, link lists as "+ added" / "− removed". A creation is one line."""
    model = type(target)
    rows = []
    for entry in history(target=target)[:limit]:
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


def internal_project_ids(user):
    """Project ids where the user may read internal figures (estimates); ``None`` means all."""
    ids = project_ids_with(user, Capability.VIEW_INTERNAL)
    return None if ids is None else set(ids.values_list("project_id", flat=True))


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


def development_item_get(*, user, pk: int, project=None) -> DevelopmentItem:
    qs = development_item_list(user=user, with_links=True)
    if project is not None:
        qs = qs.filter(project=project)
    return get_object_or_404(qs, pk=pk)


def environment_list(*, user, filters=None, request=None):
    from phases.development.filters import EnvironmentFilterSet

    qs = Environment.objects.visible_to(user).select_related("project")
    if filters is not None:
        qs = EnvironmentFilterSet(filters, queryset=qs, request=request).qs
    return qs


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


@dataclass
class BoardColumn:
    status: str
    label: str
    items: list = field(default_factory=list)


def board_columns(items) -> list[BoardColumn]:
    """The board: one column per status (in workflow order), each with its cards."""
    columns = {value: BoardColumn(status=value, label=label) for value, label in DevelopmentItem.Status.choices}
    for item in items:
        item.allowed_targets = allowed_targets(item.status)
        item.allowed_moves = [(value, DevelopmentItem.Status(value).label) for value in item.allowed_targets]
        columns[item.status].items.append(item)
    return list(columns.values())


def status_counts(*, user, project) -> dict[str, int]:
    rows = development_item_list(user=user).filter(project=project).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}
