"""Audit trail: every change to project content is recorded by django-auditlog.

The entry keeps who, when, and old/new values; ``get_additional_data`` on each model adds
the project id (and whether the object is internal) so the trail is scoped like the object.
Other apps register their models here from their ``AppConfig.ready``.

Who reads which entry (``projects.selectors.audit_entries``, the one read of the trail for
the API, the project page, the audit page and every object's history):

- Members read the entries of their projects; firm roles (``VIEW_INTERNAL``) read them all.
- A client role reads an entry of an object that can be internal (an audited model with an
  ``internal`` flag, or an ``internal_path`` to a parent's: ``projects.scoping.internal_lookup``)
  only while that object is client-visible NOW. This is decided in the database, in the
  same single query as the list: for each such model one ``object_id IN (visible rows)``
  subquery over the object's current row. The flag an entry was written with decides
  nothing while the object exists, so no door can leave it stale: an edit through a
  service, the admin, a queryset ``update()`` or SQL is seen by the next read. (Keeping each
  entry's flag in sync instead would have to be done by every door that changes ``internal``.)
- A deleted object has no current row: its entries stay hidden from client roles unless the
  deletion was recorded (every ORM delete, cascades included, writes an entry through
  auditlog's signal) with the object client-visible in its last state. Deleted internal
  objects, and objects that vanished without a recorded deletion, stay hidden.
- In the entries a client role reads, ``changes`` keeps only the fields the trail records
  for the model (``exclude_fields`` such as ``internal_notes`` never show, even in entries
  written before they were excluded), and drops changes of relations to a model that can be
  internal (a task's ``depends_on`` lists task titles). Firm roles read the entry as written.
"""

import functools
import json
from contextvars import ContextVar

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.db.models.query import ModelIterable

from projects.scoping import internal_lookup


def register_models():
    from projects.models import Approval, Membership, Milestone, Phase, Project, Task

    auditlog.register(Project, exclude_fields=["updated_at", "version"])
    auditlog.register(Membership, exclude_fields=["updated_at", "version"])
    auditlog.register(Phase, exclude_fields=["updated_at", "version"])
    auditlog.register(Milestone, exclude_fields=["updated_at", "version"])
    auditlog.register(Task, exclude_fields=["updated_at", "version"], m2m_fields={"depends_on"})
    auditlog.register(Approval, exclude_fields=["updated_at"])


_inside_audited = ContextVar("erpimpl_inside_audited", default=False)


def audited(service):
    """Record the service's ``by`` user as the actor of every audit entry it writes.

    The web middleware does this for requests; this decorator makes the API, the
    management commands and Celery-started work record the same actor. Only the outermost
    audited call sets the actor (a service calling another keeps it for its later writes),
    and the caller's audit context (the middleware's, in a request) is restored afterwards.
    """

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        by = kwargs.get("by")
        if _inside_audited.get() or by is None or not getattr(by, "is_authenticated", False):
            return service(*args, **kwargs)
        previous = auditlog_value.get(None)
        token = _inside_audited.set(True)
        try:
            with set_actor(by):
                return service(*args, **kwargs)
        finally:
            _inside_audited.reset(token)
            if previous is not None:
                auditlog_value.set(previous)

    return wrapper


# --- reading the trail: what a client role may see ----------------------------------------


def internal_capable_models() -> list[type]:
    """Audited models whose rows can be hidden from client roles (own flag or a parent's)."""
    return [model for model in auditlog.get_models() if internal_lookup(model)]


def client_visible_entries(project_ids) -> Q:
    """Entries a client role of ``project_ids`` (a subquery of project ids) may read.

    Entries of a model that cannot be internal pass; an entry of one that can passes while its
    object exists in those projects and is client-visible now, or, once the object is gone,
    when its recorded deletion found it client-visible.
    """
    models = internal_capable_models()
    if not models:
        return Q(pk__isnull=False)  # every entry (an empty Q would vanish from an OR)
    types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    allowed = ~Q(content_type_id__in=[ct.pk for ct in types.values()])
    for model, ct in types.items():
        rows = model._default_manager.all()
        if hasattr(rows, "in_projects"):
            rows = rows.in_projects(project_ids)
        visible_now = rows.filter(**{internal_lookup(model): False}).values("pk")
        deleted_visible = LogEntry.objects.filter(
            content_type_id=ct.pk, action=LogEntry.Action.DELETE, additional_data__internal=False
        ).values("object_id")
        allowed |= Q(content_type_id=ct.pk) & (
            Q(object_id__in=visible_now) | (~Q(object_id__in=rows.values("pk")) & Q(object_id__in=deleted_visible))
        )
    return allowed


@functools.cache
def _client_fields(model) -> frozenset[str]:
    """The change keys a client role may read in an entry of ``model``."""
    options = auditlog.get_model_fields(model)
    m2m = set(auditlog._registry[model].get("m2m_fields") or ())
    names = {f.name for f in model._meta.concrete_fields} | m2m
    if options["include_fields"]:
        names &= set(options["include_fields"]) | m2m
    names -= set(options["exclude_fields"])
    # a relation to rows that can be internal: its change names them (m2m lists their titles,
    # a foreign key's display looks the row up), so it is left out for client roles
    names -= {
        f.name
        for f in model._meta.get_fields()
        if f.is_relation and f.concrete and f.related_model is not None and internal_lookup(f.related_model)
    }
    return frozenset(names)


def hide_internal_changes(entry) -> None:
    """Narrow ``entry`` to what a client role may read (see the module docstring)."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    changes = entry.changes
    if isinstance(changes, str):
        try:
            changes = json.loads(changes)
        except ValueError:
            changes = {}
    if not changes and entry.changes_text:
        try:
            changes = json.loads(entry.changes_text)
        except ValueError:
            changes = {}
    allowed = _client_fields(model) if model is not None and auditlog.contains(model) else frozenset()
    entry.changes = {k: v for k, v in (changes or {}).items() if k in allowed} if isinstance(changes, dict) else {}
    entry.changes_text = ""
    entry.serialized_data = None


class _ClientSafeEntries(ModelIterable):
    def __iter__(self):
        for entry in super().__iter__():
            if not getattr(entry, "reader_sees_internal", True):
                hide_internal_changes(entry)
            yield entry


class AuditEntryQuerySet(QuerySet):
    """Log entries that narrow their ``changes`` for a reader without ``VIEW_INTERNAL`` on the
    entry's project (the ``reader_sees_internal`` annotation set by the selector)."""

    def __init__(self, model=LogEntry, *args, **kwargs):
        super().__init__(model, *args, **kwargs)
        self._iterable_class = _ClientSafeEntries
