"""The plan of a run: its fields, their compiled checks and the file column of each."""

from dataclasses import dataclass

from datamigration import readers
from datamigration.models import FieldDefinition, MasterDataObject, MigrationRun, StagedRecord
from datamigration.validators import FieldSpec, compile_column_checker

MISSING_COLUMNS = "Required columns are not mapped: {fields}."
NO_KEY_COLUMN = "The key column {field!r} is not mapped."


@dataclass
class Plan:
    specs: list[FieldSpec]
    names: list[str]
    columns: list[int | None]
    checkers: list
    key_index: int
    ref_index: int | None  # the same-object reference checked in SQL
    keep_data: bool  # a load stages every column; a validation only the key and reference

    @property
    def key_column(self) -> str:
        return f"f{self.key_index}"

    @property
    def ref_column(self) -> str | None:
        return None if self.ref_index is None else f"f{self.ref_index}"


def load_specs(obj) -> list[FieldSpec]:
    definitions = FieldDefinition.objects.filter(object=obj).select_related("reference_object").order_by("order", "pk")
    return [FieldSpec.from_definition(d, own_object_id=obj.pk) for d in definitions]


def reference_sets(obj, specs: list[FieldSpec]) -> dict[str, frozenset]:
    """The staged keys (or other field values) of every object the specs refer to.

    Filtered on ``(project, object)`` so the unique index answers it (index-only for keys).
    """
    targets = {
        o.name: o
        for o in MasterDataObject.objects.filter(
            project_id=obj.project_id, name__in={s.reference_object for s in specs if s.reference_object}
        )
    }
    refs = {}
    for spec in specs:
        if spec.type != "reference" or spec.deferred or spec.reference_object in refs:
            continue
        target = targets.get(spec.reference_object)
        if target is None:
            refs[spec.reference_object] = frozenset()
            continue
        records = StagedRecord.objects.filter(project_id=obj.project_id, object_id=target.pk)
        if spec.reference_field and spec.reference_field != target.key_field:
            values = (r.get(spec.reference_field) for r in records.values_list("data", flat=True).iterator())
            refs[spec.reference_object] = frozenset(str(v) for v in values if v not in (None, ""))
        else:
            refs[spec.reference_object] = frozenset(records.values_list("key", flat=True).iterator())
    return refs


def build_plan(run: MigrationRun, header: list[str]) -> Plan:
    obj = run.object
    specs = load_specs(obj)
    names = [s.name for s in specs]
    mapping = run.upload.mapping or {}
    position = {}
    for index, column in enumerate(header):
        field_name = mapping.get(column)
        if field_name in names and field_name not in position:
            position[field_name] = index
    missing = [s.name for s in specs if s.required and s.name not in position]
    if missing:
        raise readers.FileRejected(MISSING_COLUMNS.format(fields=", ".join(missing)))
    if obj.key_field not in position:
        raise readers.FileRejected(NO_KEY_COLUMN.format(field=obj.key_field))
    key_index = names.index(obj.key_field)
    specs[key_index].required = True
    refs = reference_sets(obj, specs)
    ref_index = next((i for i, s in enumerate(specs) if s.type == "reference" and s.deferred), None)
    return Plan(
        specs=specs,
        names=names,
        columns=[position.get(n) for n in names],
        checkers=[compile_column_checker(s, refs) for s in specs],
        key_index=key_index,
        ref_index=ref_index,
        keep_data=run.mode == MigrationRun.Mode.LOAD,
    )
