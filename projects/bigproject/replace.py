"""Removing a generated project quickly (``make_big_project --replace``).

``projects.services.project_delete`` is the product's door, but on a project of this size
Django's deletion collector loads every row and writes an audit entry for each (hours). A
generated project is benchmark data: every table that reaches the project (found through
its foreign keys, deepest first) is emptied of the project's rows with one ``DELETE`` each,
inside the caller's transaction, then the project, its audit entries, its stored files and
the users the generator made for it.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models

from projects.bigproject.plan import generated_users
from projects.models import Project

MAX_DEPTH = 5


def path_to_project(model) -> str | None:
    """The lookup from ``model`` to ``Project`` (``None``: none): its ``scope_path``, or else
    the shortest chain of required foreign keys (a nullable one would miss some rows)."""
    scope = getattr(model, "scope_path", None)
    if scope:
        return scope
    queue = [(model, "")]
    seen = {model}
    for _depth in range(MAX_DEPTH):
        following = []
        for current, path in queue:
            for field in current._meta.concrete_fields:
                if not field.is_relation or field.related_model is None or field.null:
                    continue
                target = field.related_model
                lookup = f"{path}__{field.name}" if path else field.name
                if target is Project:
                    return lookup
                if target not in seen:
                    seen.add(target)
                    following.append((target, lookup))
        queue = following
    return None


def project_tables() -> list[tuple[type, str]]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model is Project or model is LogEntry or model._meta.proxy:
            continue
        path = path_to_project(model)
        if path:
            found.append((model, path))
    return sorted(found, key=lambda pair: (-pair[1].count("__"), pair[0]._meta.label))


def _delete_files(project: Project, tables) -> None:
    for model, path in tables:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names = model._base_manager.filter(**{path: project.pk}).exclude(**{field.name: ""})
                for name in names.values_list(field.name, flat=True):
                    default_storage.delete(name)


def remove_project(project: Project) -> int:
    """Delete the project, everything that reaches it and its generated users; rows deleted."""
    tables = project_tables()
    _delete_files(project, tables)
    deleted = 0
    for model, path in tables:
        deleted += model._base_manager.filter(**{path: project.pk})._raw_delete(model._base_manager.db)
    deleted += LogEntry.objects.filter(additional_data__project_id=project.pk)._raw_delete(LogEntry.objects.db)
    deleted += Project.objects.filter(pk=project.pk)._raw_delete(Project.objects.db)
    users = generated_users(project.code)
    deleted += users.count()
    users.delete()  # few rows: the collector clears their tokens, groups and audit actor links
    return deleted
