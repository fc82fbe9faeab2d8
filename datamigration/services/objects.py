"""Master data objects and their fields (EDIT), built-in objects, and deleting staged records (RUN_JOBS)."""

from django.db import transaction

from datamigration import builtins
from datamigration.models import FieldDefinition, MasterDataObject, StagedRecord
from erpimpl.errors import DomainError
from projects.audit import audited
from projects.models import Project
from projects.roles import Capability, require

__all__ = [
    "CHOICES_NEEDED",
    "FIELD_NAME_TAKEN",
    "OBJECT_NAME_TAKEN",
    "REFERENCE_CYCLE",
    "REFERENCE_NEEDS_TARGET",
    "REFERENCE_OTHER_PROJECT",
    "builtin_objects_ensure",
    "field_create",
    "object_create",
    "staged_records_delete",
]

OBJECT_NAME_TAKEN = "This project already has an object named {name!r}."
FIELD_NAME_TAKEN = "{object} already has a field named {name!r}."
REFERENCE_NEEDS_TARGET = "A reference field needs the object it refers to."
REFERENCE_OTHER_PROJECT = "A reference must point to an object of the same project."
CHOICES_NEEDED = "A choice field needs at least one allowed value."
REFERENCE_CYCLE = "These objects refer to each other in a circle: {names}."


def builtin_objects_ensure(*, project: Project) -> list[MasterDataObject]:
    """Create the built-in objects of ``shared/data/README.md`` for a project (idempotent)."""
    existing = {o.name: o for o in MasterDataObject.objects.filter(project=project)}
    if all(name in existing for name, *_ in builtins.BUILTIN_OBJECTS):
        return list(existing.values())
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        existing = {o.name: o for o in MasterDataObject.objects.filter(project=project)}
        for order, (name, label, description, fields) in enumerate(builtins.BUILTIN_OBJECTS):
            if name in existing:
                continue
            obj = MasterDataObject.objects.create(
                project=project, name=name, label=label, description=description, builtin=True, load_order=order
            )
            existing[name] = obj
            for index, spec in enumerate(fields):
                spec = dict(spec)
                ref = spec.pop("ref", None)
                FieldDefinition.objects.create(
                    object=obj,
                    order=index,
                    reference_object=obj if ref == "self" else existing.get(ref) if ref else None,
                    **spec,
                )
        _recompute_load_order(project)
    return list(MasterDataObject.objects.filter(project=project))


def _recompute_load_order(project: Project) -> None:
    """Referenced objects load first (a same-object reference is resolved within the file)."""
    objects = {o.pk: o for o in MasterDataObject.objects.filter(project=project)}
    deps = {pk: set() for pk in objects}
    for obj_id, ref_id in FieldDefinition.objects.filter(
        object__project=project, reference_object__isnull=False
    ).values_list("object_id", "reference_object_id"):
        if obj_id != ref_id:
            deps[obj_id].add(ref_id)
    order, placed = [], set()
    while len(order) < len(objects):
        ready = sorted(
            (pk for pk in objects if pk not in placed and deps[pk] <= placed),
            key=lambda pk: (objects[pk].load_order, objects[pk].name),
        )
        if not ready:
            names = ", ".join(sorted(objects[pk].name for pk in objects if pk not in placed))
            raise DomainError(REFERENCE_CYCLE.format(names=names))
        order.extend(ready)
        placed.update(ready)
    for index, pk in enumerate(order):
        if objects[pk].load_order != index:
            MasterDataObject.objects.filter(pk=pk).update(load_order=index)


@audited
def object_create(
    *, project: Project, by, name: str, label: str, description: str = "", key_field: str = "code"
) -> MasterDataObject:
    require(by, project, Capability.EDIT)
    builtin_objects_ensure(project=project)
    if MasterDataObject.objects.filter(project=project, name=name).exists():
        raise DomainError(OBJECT_NAME_TAKEN.format(name=name), field="name")
    with transaction.atomic():
        obj = MasterDataObject(
            project=project,
            name=name,
            label=label,
            description=description,
            key_field=key_field,
            load_order=MasterDataObject.objects.filter(project=project).count(),
        )
        obj.full_clean()
        obj.save()
        if key_field:
            FieldDefinition.objects.create(object=obj, name=key_field, required=True, unique=True, max_length=64)
    return obj


@audited
def field_create(*, object: MasterDataObject, by, name: str, **rules) -> FieldDefinition:
    require(by, object.project, Capability.EDIT)
    if object.fields.filter(name=name).exists():
        raise DomainError(FIELD_NAME_TAKEN.format(object=object.name, name=name), field="name")
    target = rules.get("reference_object")
    if rules.get("type") == FieldDefinition.Type.REFERENCE and target is None:
        raise DomainError(REFERENCE_NEEDS_TARGET, field="reference_object")
    if target is not None and target.project_id != object.project_id:
        raise DomainError(REFERENCE_OTHER_PROJECT, field="reference_object")
    if rules.get("type") == FieldDefinition.Type.CHOICE and not rules.get("choices"):
        raise DomainError(CHOICES_NEEDED, field="choices")
    with transaction.atomic():
        definition = FieldDefinition(object=object, name=name, order=object.fields.count(), **rules)
        definition.full_clean()
        definition.save()
        _recompute_load_order(object.project)
    return definition


def staged_records_delete(*, object: MasterDataObject, by) -> int:
    """Remove every staged record of an object (e.g. before the final load). Needs RUN_JOBS."""
    require(by, object.project, Capability.RUN_JOBS)
    with transaction.atomic():
        count, _ = StagedRecord.objects.filter(object=object).delete()
    return count
