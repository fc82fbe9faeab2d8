"""A faster ``to_representation`` for model serializers, with the same output.

DRF reads every field through ``Field.get_attribute`` (a walk of the source, a callable check,
exception handling) before ``to_representation``: for the plain columns of a 50-row page
that walk cost more than the values. ``ModelOutputMixin`` reads a field whose source is a
concrete, non-relational column of ``Meta.model`` with ``getattr`` and hands the value to the
field's own ``to_representation``; every other field (nested, method, related, dotted
sources) goes through DRF's path unchanged. The plan is made once per serializer instance,
so once per list.
"""

from __future__ import annotations

from functools import cached_property

from django.db import models
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject


class ModelOutputMixin:
    @cached_property
    def _output_plan(self):
        model = self.Meta.model
        columns = {f.name: f.attname for f in model._meta.concrete_fields if not f.is_relation}
        plan = []
        for field in self._readable_fields:
            source = field.source
            attname = columns.get(source) if source and "." not in source else None
            plan.append((field.field_name, attname, field))
        return plan

    def to_representation(self, instance):
        if not isinstance(instance, models.Model):
            return super().to_representation(instance)
        ret = {}
        for name, attname, field in self._output_plan:
            if attname is not None:
                value = getattr(instance, attname)
                ret[name] = None if value is None else field.to_representation(value)
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check is None else field.to_representation(attribute)
        return ret
