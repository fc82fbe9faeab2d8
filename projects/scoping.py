"""Project scoping shared by every app: the queryset that narrows to what a user may see.

A model reaches its project through ``scope_path`` (``"project"`` unless said otherwise).
Models with an ``internal`` flag hide internal rows from client roles.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from projects.roles import Capability, project_ids_with


class ScopedQuerySet(models.QuerySet):
    def _scope_path(self) -> str:
        return getattr(self.model, "scope_path", "project")

    def _has_internal_flag(self) -> bool:
        return any(f.name == "internal" for f in self.model._meta.concrete_fields)

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
        if self._has_internal_flag():
            internal_ok = project_ids_with(user, Capability.VIEW_INTERNAL)
            column = self._project_column()
            qs = qs.filter(models.Q(internal=False) | models.Q(**{f"{column}__in": internal_ok}))
        return qs

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

    def get_additional_data(self):
        """Stored with each audit entry so the trail can be scoped like the object."""
        return {"project_id": self.owning_project_id, "internal": bool(getattr(self, "internal", False))}
