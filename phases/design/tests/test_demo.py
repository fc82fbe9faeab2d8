"""The demo content: realistic designs with real BPMN diagrams, seeded idempotently."""

import pytest
from django.contrib.auth.models import Group, Permission

from phases.design import demo
from phases.design.models import DesignStatus, FunctionDescription, ProcessDesign, TechnicalRequirement
from phases.design.selectors import design_coverage
from phases.discovery import demo as discovery_demo
from projects import demo as project_demo
from projects.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_gives_the_same_design_content():
    """What ``manage.py seed_demo`` does for this app (after the project and discovery content)."""
    consultants = Group.objects.create(name=project_demo.CONSULTANTS_GROUP)
    consultants.permissions.add(Permission.objects.get(codename="add_project", content_type__app_label="projects"))
    users = project_demo.seed_users(password="pw-for-tests-1", consultants=consultants)
    project = project_demo.seed_project(users)
    discovery_demo.seed(project, users)
    demo.seed(project, users)
    counts = (ProcessDesign.objects.count(), FunctionDescription.objects.count(), TechnicalRequirement.objects.count())
    demo.seed(project, users)
    assert counts == (
        ProcessDesign.objects.count(),
        FunctionDescription.objects.count(),
        TechnicalRequirement.objects.count(),
    )
    designs = {d.code: d for d in ProcessDesign.objects.filter(project=project)}
    statuses = sorted(d.status for d in designs.values())
    assert statuses == sorted(
        [DesignStatus.IN_REVIEW, DesignStatus.IN_REVIEW, DesignStatus.APPROVED, DesignStatus.DRAFT]
    )
    assert sum(d.has_bpmn for d in designs.values()) == 2
    assert designs["PD-001"].versions.count() == 1
    assert set(TechnicalRequirement.objects.filter(project=project).values_list("category", flat=True)) == set(
        TechnicalRequirement.Category.values
    )
    pm = project.memberships.get(role=Role.PM).user
    coverage = design_coverage(user=pm, project=project)
    assert coverage.agreed_count > coverage.covered_count > 0
    assert len(coverage.designs_without_requirements) == 1
