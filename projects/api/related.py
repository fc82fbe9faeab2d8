"""Ids of a many-to-many relation in API output, without a model per related row.

``RelatedIdsField("processes")`` answers the ids of ``requirement.processes`` in the related
model's order. A list attaches the ids of its whole page in one query per relation
(``attach_related_ids``, called by ``ScopedViewSet.paginate_queryset``): a prefetch built a
related manager and a model per row (3 ms of a 50-row page). A single object reads its
relation.
"""

from __future__ import annotations

import functools

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

_ATTACHED = "_related_ids"


@extend_schema_field({"type": "array", "items": {"type": "integer"}, "readOnly": True})
class RelatedIdsField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        attached = getattr(instance, _ATTACHED, {})
        if self.source in attached:
            return attached[self.source]
        return [related.pk for related in getattr(instance, self.source).all()]

    def to_representation(self, value):
        return list(value)


@functools.cache
def related_id_sources(serializer_class) -> tuple[str, ...]:
    """The relations a serializer class shows as ``RelatedIdsField``."""
    return tuple(
        field.source or name
        for name, field in serializer_class._declared_fields.items()
        if isinstance(field, RelatedIdsField)
    )


def attach_related_ids(objects, sources) -> None:
    """One query per relation: each object's related ids, in the related model's order."""
    objects = list(objects)
    if not objects or not sources:
        return
    model = type(objects[0])
    by_pk = {obj.pk: obj for obj in objects}
    for obj in objects:
        setattr(obj, _ATTACHED, {source: [] for source in sources})
    for source in sources:
        relation = model._meta.get_field(source)
        back = relation.related_query_name()
        rows = relation.related_model._default_manager.filter(**{f"{back}__in": list(by_pk)})
        for owner_pk, related_pk in rows.values_list(back, "pk"):
            getattr(by_pk[owner_pk], _ATTACHED)[source].append(related_pk)
