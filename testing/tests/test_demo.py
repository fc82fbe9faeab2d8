"""The demo seed: a running UAT cycle with a week of runs and defects; running it twice adds nothing."""

import pytest

from projects import demo as project_demo
from projects.roles import Role
from testing import demo, selectors
from testing.models import Case, Cycle, Defect, Execution

pytestmark = pytest.mark.django_db


def test_demo_seed_is_believable_and_idempotent():
    from django.contrib.auth.models import Group, Permission

    consultants = Group.objects.create(name="c")
    consultants.permissions.add(Permission.objects.get(codename="add_project", content_type__app_label="projects"))
    users = project_demo.seed_users(password="x-demo-pw-1", consultants=consultants)
    project = project_demo.seed_project(users)
    demo.seed(project, users)
    counts = (Case.objects.count(), Cycle.objects.count(), Execution.objects.count(), Defect.objects.count())
    demo.seed(project, users)
    assert (Case.objects.count(), Cycle.objects.count(), Execution.objects.count(), Defect.objects.count()) == counts

    uat = Cycle.objects.get(project=project, type="uat")
    assert uat.status == Cycle.Status.RUNNING
    assert uat.executions.filter(status="in_progress").count() == 1
    counts = selectors.cycle_status_counts(uat)
    assert counts["passed"] and counts["failed"] and counts["not_run"]
    progress = selectors.execution_progress_chart(uat)
    assert len(progress["labels"]) >= 8
    trend = selectors.defect_trend_chart(uat)
    opened, closed, _open = (d["data"] for d in trend["datasets"])
    assert sum(opened) >= 6 and sum(closed) >= 2
    assert len([n for n in opened if n]) >= 4  # defects arrive over several days
    assert Defect.objects.filter(project=project, severity="critical", status="retest").exists()
    assert uat.cycle_cases.filter(assignee=users[Role.KEY_USER]).count() >= 8
    sit = Cycle.objects.get(project=project, type="integration")
    assert sit.is_signed_off
    assert (
        project.load_test_results.filter(passed=False).exists()
        and project.load_test_results.filter(passed=True).exists()
    )
