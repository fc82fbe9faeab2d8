"""``manage.py make_big_project``: a tiny big project, every app filled, the same for a seed."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from datamigration.models import MigrationRun, StagedRecord
from golive.models import (
    Attendance,
    CutoverRunTask,
    CutoverTask,
    ReadinessCriterion,
    ReadinessResult,
    TrainingSession,
    UserGuideVersion,
)
from phases.design.models import FunctionDescription, ProcessDesign, TechnicalRequirement
from phases.development.models import DevelopmentItem, Release
from phases.discovery.models import CurrentProcess, Requirement, Stakeholder
from projects.models import Approval, Membership, Project, Task
from projects.roles import Role
from testing.models import Case, CaseStep, Cycle, CycleCase, Defect, Execution, StepResult

TINY = "0.002"


def make(code, *extra, seed=3):
    call_command("make_big_project", "--code", code, "--scale", TINY, "--seed", str(seed), *extra, stdout=None)
    return Project.objects.get(code=code)


def who(user, project):
    return user.username.removeprefix(f"{project.code.lower()}.") if user else None


def content(project):
    """What the seed decides, with people named by role rather than by their project's prefix."""
    reqs = Requirement.objects.filter(project=project).order_by("code")
    defects = Defect.objects.filter(project=project).select_related("assignee", "case").order_by("code")
    executions = Execution.objects.filter(cycle__project=project).select_related("cycle", "case", "tester")
    return {
        "requirements": [(r.code, r.title, r.status, r.fit_gap, r.resolution) for r in reqs],
        "cases": list(Case.objects.filter(project=project).order_by("code").values_list("code", "title", "type")),
        "case links": sorted(
            Case.requirements.through.objects.filter(case__project=project).values_list(
                "case__code", "requirement__code"
            )
        ),
        "items": list(
            DevelopmentItem.objects.filter(project=project).order_by("code").values_list("code", "type", "status")
        ),
        "executions": sorted((e.cycle.name, e.case.code, e.run, e.status, who(e.tester, project)) for e in executions),
        "defects": [
            (d.code, d.status, d.severity, d.case.code if d.case else None, who(d.assignee, project)) for d in defects
        ],
    }


@pytest.mark.django_db
def test_every_app_gets_rows_in_their_states_and_a_seed_gives_the_same_project():
    first = make("TINY-A")
    second = make("TINY-B")

    for model, path in [
        (Stakeholder, "project"),
        (CurrentProcess, "project"),
        (Requirement, "project"),
        (ProcessDesign, "project"),
        (FunctionDescription, "project"),
        (TechnicalRequirement, "project"),
        (DevelopmentItem, "project"),
        (Release, "project"),
        (Case, "project"),
        (CaseStep, "case__project"),
        (Cycle, "project"),
        (CycleCase, "cycle__project"),
        (Execution, "cycle__project"),
        (StepResult, "execution__cycle__project"),
        (Defect, "project"),
        (MigrationRun, "project"),
        (StagedRecord, "project"),
        (Approval, "project"),
        (Task, "project"),
        (ReadinessCriterion, "project"),
        (ReadinessResult, "run__project"),
        (CutoverTask, "project"),
        (CutoverRunTask, "run__project"),
        (TrainingSession, "project"),
        (Attendance, "session__project"),
        (UserGuideVersion, "guide__project"),
    ]:
        assert model.objects.filter(**{path: first}).exists(), model.__name__
    assert set(Membership.objects.filter(project=first).values_list("role", flat=True)) == set(Role.values)
    assert first.phases.get(kind="testing").status == "in_progress"
    # The cutover plan is a graph (every task after the first depends on earlier ones) and it was rehearsed.
    tasks = CutoverTask.objects.filter(project=first)
    assert all(task.predecessors.exists() for task in tasks.exclude(number=1))
    assert CutoverRunTask.objects.filter(run__project=first).count() == tasks.count()
    assert first.phases.get(kind="design").gate_approval.decision == "approved"
    assert CaseStep.objects.filter(case__project=first).count() == 5 * Case.objects.filter(project=first).count()
    assert LogEntry.objects.filter(additional_data__project_id=first.pk).exists()
    # Only the last run of a case may still be open, and a failed run carries its failing step.
    failed = Execution.objects.filter(cycle__project=first, status="failed")
    assert all(e.step_results.filter(status="failed").count() == 1 for e in failed)

    assert content(first) == content(second)
    assert content(make("TINY-C", seed=4)) != content(first)


@pytest.mark.django_db
def test_an_existing_project_is_replaced_only_when_asked():
    project = make("TINY-R")
    cases = Case.objects.filter(project=project).count()
    users = get_user_model().objects.filter(username__startswith="tiny-r.").count()

    with pytest.raises(CommandError, match="--replace"):
        make("TINY-R")

    replaced = make("TINY-R", "--replace")
    assert replaced.pk != project.pk
    assert not Project.objects.filter(pk=project.pk).exists()
    assert Case.objects.filter(project=replaced).count() == cases
    assert get_user_model().objects.filter(username__startswith="tiny-r.").count() == users
    assert not Case.objects.filter(project_id=project.pk).exists()
