"""Per-project sequence numbers and codes (REQ-001, PD-001, DEV-001, TC-001, ...).

Call inside a transaction: the project row is locked, so two creates in the same project
never get the same number.
"""

from django.db.models import Max

from projects.models import Project


def next_number(model, project: Project) -> int:
    """The next value of ``model.number`` within the project."""
    Project.objects.select_for_update().get(pk=project.pk)
    return (model.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1


def next_codes(model, project: Project, prefix: str, count: int = 1) -> list[str]:
    """The next ``count`` free ``PREFIX-NNN`` codes of ``model.code`` within the project."""
    Project.objects.select_for_update().get(pk=project.pk)
    numbers = [
        int(suffix)
        for code in model.objects.filter(project=project, code__startswith=f"{prefix}-").values_list("code", flat=True)
        if (suffix := code[len(prefix) + 1 :]).isdigit()
    ]
    start = max(numbers, default=0) + 1
    return [f"{prefix}-{n:03d}" for n in range(start, start + count)]
