"""Filling a route's URL parameters with rows of the big project, as one user sees them.

The row chosen for a model is the heaviest one the user may see in the project: the one
most rows point to (the cycle with the most cases and executions, the requirement with the
most links...), so a detail page is measured at its worst. A second object parameter is
taken among the children of the first (``cycles/<pk>/scope/<cc>``: a case of that cycle).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from bench.webbench.routes import Route
from projects.bigproject.replace import path_to_project


class Unfillable(Exception):
    pass


def _weight(model):
    """How many rows point to each row of ``model`` (foreign keys and many-to-many links)."""
    terms = []
    for other in apps.get_models(include_auto_created=True):
        for f in other._meta.concrete_fields:
            if f.is_relation and f.related_model is model and (f.many_to_one or f.one_to_one):
                rows = other._base_manager.filter(**{f.attname: OuterRef("pk")}).order_by()
                count = rows.values(f.attname).annotate(n=Count("pk")).values("n")[:1]
                terms.append(Coalesce(Subquery(count, output_field=IntegerField()), 0))
    total = Value(0)
    for term in terms:
        total = total + term
    return total


class Picker:
    def __init__(self, project, user):
        self.project, self.user = project, user
        self._cache: dict = {}
        self._token = None

    def token_key(self) -> str:
        if self._token is None:
            from projects.services import token_create

            auth_token, _key = token_create(user=self.user)
            self._token = auth_token.token_key
        return self._token

    def pick(self, model, parent=None):
        key = (model, getattr(parent, "pk", None))
        if key not in self._cache:
            self._cache[key] = self._pick(model, parent)
        return self._cache[key]

    def _pick(self, model, parent):
        label = model._meta.label
        if label == "projects.Project":
            return self.project
        if label == "projects.MethodologyTemplate":
            return self.project.template
        if label == "auditlog.LogEntry":
            from projects.selectors import audit_entries

            return audit_entries(user=self.user, project=self.project).first()
        rows = model._default_manager.all()
        if hasattr(rows, "visible_to"):
            rows = rows.visible_to(self.user)
        path = path_to_project(model)
        if path is None:
            return None
        rows = rows.filter(**{path: self.project.pk})
        if parent is not None:
            links = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is type(parent)]
            if links:
                rows = rows.filter(**{links[0].attname: parent.pk})
        return rows.annotate(bench_weight=_weight(model)).order_by("-bench_weight", "pk").first()

    def url(self, route: Route) -> str:
        """The route's URL for this project and user; ``Unfillable`` when a parameter has no row."""
        if route.problem:
            raise Unfillable(route.problem)
        values, parent = {}, None
        for name, source in route.params:
            if source == "project":
                values[name] = self.project.code
            elif source == "step-order":
                values[name] = 1
            elif source == "token":
                values[name] = self.token_key()
            else:
                obj = self.pick(source, parent)
                if obj is None:
                    raise Unfillable(f"no {source._meta.verbose_name} visible to the user in {self.project.code}")
                values[name] = obj.pk if name in ("pk", "id", "cc") or not hasattr(obj, name) else getattr(obj, name)
                parent = obj
        path = route.template.format(**values)
        query = "&".join(f"{k}={v.format(code=self.project.code)}" for k, v in route.query.items())
        return f"{path}?{query}" if query else path
