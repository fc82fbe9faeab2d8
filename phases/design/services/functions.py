"""Function descriptions: what the ERP will do for one requirement (firm roles edit them)."""

from erpimpl.errors import DomainError
from phases.design.models import FunctionDescription
from phases.design.services.common import check_requirements
from projects.audit import audited
from projects.models import Project
from projects.roles import Capability, require
from projects.updating import apply_update

DESIGN_OTHER_PROJECT = "This process design belongs to another project."

FUNCTION_FIELDS = {"requirement", "design", "kind", "title", "description", "erp_reference"}


def _check_function_refs(project: Project, requirement=None, design=None) -> None:
    if requirement is not None:
        check_requirements(project, [requirement], field="requirement")
    if design is not None and design.project_id != project.pk:
        raise DomainError(DESIGN_OTHER_PROJECT, field="design")


@audited
def function_description_create(
    *,
    project: Project,
    by,
    requirement,
    title: str,
    kind: str = FunctionDescription.Kind.STANDARD,
    description: str = "",
    erp_reference: str = "",
    design=None,
) -> FunctionDescription:
    require(by, project, Capability.EDIT)
    _check_function_refs(project, requirement, design)
    function = FunctionDescription(
        project=project,
        requirement=requirement,
        design=design,
        kind=kind,
        title=title,
        description=description,
        erp_reference=erp_reference,
    )
    function.full_clean()
    function.save()
    return function


@audited
def function_description_update(*, function: FunctionDescription, by, version: int, **changes) -> FunctionDescription:
    require(by, function.project, Capability.EDIT)
    _check_function_refs(function.project, changes.get("requirement"), changes.get("design"))
    return apply_update(function, version=version, changes=changes, allowed=FUNCTION_FIELDS)


@audited
def function_description_delete(*, function: FunctionDescription, by) -> None:
    require(by, function.project, Capability.EDIT)
    function.delete()
