"""Project scoping shared by every app: the queryset that narrows to what a user may see.

A model reaches its project through ``scope_path`` (``"project"`` unless said otherwise).
Models with an ``internal`` flag hide internal rows from client roles; a model whose rows are
internal because a parent is declares the parent's flag with ``internal_path``
(``"task__internal"``). ``internal_lookup(model)`` is that one rule: ``visible_to``, the audit
entry's flag (``get_additional_data``) and the audit trail's reads (``projects.audit``) all
use it, so the trail hides exactly what the lists hide.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from projects.roles import Capability, project_ids_with


def internal_lookup(model) -> str | None:
    """The lookup of the flag that hides a row of ``model`` from client roles, or ``None``.

    The model's own ``internal`` field, or ``internal_path`` for a row whose internal-ness
    comes from a parent (e.g. ``"task__internal"`` on a child row of a task).
    """
    path = getattr(model, "internal_path", None)
    if path:
        return path
    return "internal" if any(f.name == "internal" for f in model._meta.concrete_fields) else None


class ScopedQuerySet(models.QuerySet):
    def _scope_path(self) -> str:
        return getattr(self.model, "scope_path", "project")

    def _has_internal_flag(self) -> bool:
        return internal_lookup(self.model) is not None

    def _project_column(self) -> str:
        path = self._scope_path()
        return f"{path}_id" if path else "pk"

    def in_projects(self, project_ids):
        return self.filter(**{f"{self._project_column()}__in": project_ids})

    def visible_to(self, user):
        """Rows of projects the user belongs to; internal rows only for firm roles."""
        visible = project_ids_with(user, Capability.VIEW)
        if visible is None:
            return self.all()
        qs = self.in_projects(visible)
        lookup = internal_lookup(self.model)
        if lookup:
            internal_ok = project_ids_with(user, Capability.VIEW_INTERNAL)
            column = self._project_column()
            qs = qs.filter(models.Q(**{lookup: False}) | models.Q(**{f"{column}__in": internal_ok}))
        return qs

    def client_visible(self):
        """The rows a client role may see now: not internal (own flag or parent's)."""
        lookup = internal_lookup(self.model)
        return self.filter(**{lookup: False}) if lookup else self.all()

    def with_capability(self, user, capability: Capability):
        ids = project_ids_with(user, capability)
        return self.all() if ids is None else self.in_projects(ids)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """A shared record edited by several people: ``version`` goes up on every update, and
    an update carrying an older version answers 409 (``projects.updating.apply_update``)."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class ProjectScopedModel(TimeStampedModel):
    """Base of every project-owned model: timestamps, the scoped manager, audit context.

    Subclasses declare their own ``project`` foreign key (with a plural ``related_name``),
    or set ``scope_path`` to the lookup that reaches the project (``"cycle__project"``).
    """

    scope_path = "project"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def owning_project_id(self):
        obj = self
        for part in self.scope_path.split("__")[:-1]:
            obj = getattr(obj, part)
        return getattr(obj, self.scope_path.split("__")[-1] + "_id")

    @property
    def is_internal(self) -> bool:
        """Whether client roles must not see this row (``internal_lookup``)."""
        lookup = internal_lookup(type(self))
        if not lookup:
            return False
        obj = self
        for part in lookup.split("__"):
            obj = getattr(obj, part, None)
            if obj is None:
                return False
        return bool(obj)

    def get_additional_data(self):
        """Stored with each audit entry: the project (the trail is scoped by it) and whether the
        object was internal when the entry was written. The flag decides nothing while the
        object exists (its current state does, see ``projects.audit``); the one written on
        deletion is the object's last state, which keeps a deleted internal object's trail
        hidden from client roles."""
        return {"project_id": self.owning_project_id, "internal": self.is_internal}
