"""What every discovery service shares: the reference checks, saving a new row, deleting one."""

from django.db import transaction

from erpimpl.errors import DomainError
from projects.models import Project
from projects.roles import Capability, is_member, require
from projects.updating import lock

C = Capability

NOT_A_MEMBER = "{user} is not a member of this project."
OTHER_PROJECT = "{name} belongs to another project."


def check_member(project: Project, user, *, field: str = "owner", current=None) -> None:
    """A person named on a row must belong to the project (firm staff belong to every project).

    ``current``: the person the row names today; keeping them is not a new reference.
    """
    if user is None or (current is not None and user.pk == current.pk):
        return
    if not is_member(user, project):
        raise DomainError(NOT_A_MEMBER.format(user=user), field=field)


def check_same_project(project: Project, objects, field: str) -> None:
    for obj in objects or ():
        if obj.project_id != project.pk:
            raise DomainError(OTHER_PROJECT.format(name=obj), field=field)


def save_new(instance, m2m: dict | None = None):
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


def delete_row(instance, *, by) -> None:
    require(by, instance.project, C.EDIT)
    with transaction.atomic():
        lock(instance).delete()
