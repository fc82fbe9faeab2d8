"""The shared shape of an update: lock the row, check ``version``, apply, validate, save.

Services of every app use ``apply_update`` so that a stale write answers 409 (the caller
gets ``ConflictError``) and nothing is lost, whatever door the write came through. An
update that changes nothing saves nothing: the version stays, no audit entry is written.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from erpimpl.errors import STALE_VERSION, ConflictError


def lock(instance):
    """Re-read the row ``FOR UPDATE`` inside the caller's transaction."""
    return type(instance)._base_manager.select_for_update().get(pk=instance.pk)


def differs(instance, name: str, value) -> bool:
    """Whether setting field ``name`` of ``instance`` to ``value`` would change it."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return {getattr(v, "pk", v) for v in value} != set(getattr(instance, name).values_list("pk", flat=True))
    if field.is_relation:
        return getattr(value, "pk", value) != getattr(instance, field.attname)
    if isinstance(field, models.FileField):
        return True  # a new upload, even under the same name
    try:
        return field.to_python(value) != getattr(instance, field.attname)
    except ValidationError:
        return True  # full_clean will say what is wrong with it


def apply_update(instance, *, version: int | None, changes: dict, allowed: set[str]):
    """Apply ``changes`` (only ``allowed`` fields) to a locked copy; return it saved.

    ``version`` is the version the caller read; ``None`` is accepted only from internal
    callers (jobs), never from a user-facing door. When no field would change, the row is
    returned as it is: no save, no new version.
    """
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not updatable here: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = lock(instance)
        if version is not None and current.version != version:
            raise ConflictError(STALE_VERSION.format(current=current.version))
        changes = {name: value for name, value in changes.items() if differs(current, name, value)}
        if not changes:
            return current
        m2m = {}
        for field, value in changes.items():
            if current._meta.get_field(field).many_to_many:
                m2m[field] = value
            else:
                setattr(current, field, value)
        current.version += 1
        current.full_clean()
        current.save()
        for field, value in m2m.items():
            getattr(current, field).set(value)
        return current
