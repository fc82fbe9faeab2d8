"""Checks shared by the design services: people and requirements must belong to the project."""

from erpimpl.errors import DomainError
from projects.models import Project
from projects.roles import is_member

OWNER_NOT_MEMBER = "{user} is not a member of this project."
REQUIREMENT_OTHER_PROJECT = "Requirement {code} belongs to another project."


def check_owner(project: Project, owner) -> None:
    """An owner (of a design, of a technical requirement) is a member of the project."""
    if owner is not None and not is_member(owner, project):
        raise DomainError(OWNER_NOT_MEMBER.format(user=owner), field="owner")


def check_requirements(project: Project, requirements, *, field: str = "requirements") -> None:
    for requirement in requirements:
        if requirement.project_id != project.pk:
            raise DomainError(REQUIREMENT_OTHER_PROJECT.format(code=requirement.code), field=field)
