"""Deleting a project (the PM, confirmed) deletes everything it holds, in every app.

A project is built with content of every app through their factories: references between
rows of the same project (a release's environments, a run's cases, a function's requirement,
a sign-off's approval) must not block it. Only a row of another project that refers to
this one blocks it: the answer is then 409 naming it, and nothing is deleted.
"""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from datamigration.tests import factories as migration
from phases.design.tests import factories as design
from phases.development.tests import factories as development
from phases.discovery.tests import factories as discovery
from projects import services
from projects.models import Phase, Project
from projects.roles import Role
from projects.tests.factories import ApprovalFactory, MilestoneFactory, TaskFactory
from testing.tests import factories as testing

pytestmark = pytest.mark.django_db


def _project_owned_models():
    """Every model that reaches a project, with the lookup of its project id."""
    for model in apps.get_models():
        path = getattr(model, "scope_path", None)
        if path:
            yield model, f"{path}_id"


def _rows_of(project_pk: int) -> dict[str, int]:
    counts = {
        model._meta.label: model._base_manager.filter(**{lookup: project_pk}).count()
        for model, lookup in _project_owned_models()
    }
    return {label: n for label, n in counts.items() if n}


def _fill(project, pm):
    """Content of every app in ``project``, including references between its rows."""
    task = TaskFactory(project=project)
    TaskFactory(project=project).depends_on.add(task)
    MilestoneFactory(project=project)
    ApprovalFactory(project=project, requested_by=pm)

    for factory in (
        discovery.StakeholderFactory,
        discovery.KickoffFactory,
        discovery.CurrentProcessFactory,
        discovery.RaidItemFactory,
        discovery.RolloutWaveFactory,
        discovery.PlanDocumentFactory,
    ):
        factory(project=project)
    discovery.DiscoverySignoffFactory(project=project, by=pm)  # its approval is the discovery gate

    requirement = design.RequirementFactory(project=project)
    process = design.ProcessDesignFactory(project=project, requirements=[requirement])
    design.ProcessStepFactory(design=process)
    design.FunctionDescriptionFactory(project=project, requirement=requirement)
    design.TechnicalRequirementFactory(project=project)

    item = development.DevelopmentItemFactory(project=project)
    development.InterfaceItemFactory(project=project)
    development.ReleaseFactory(project=project, items=[item])  # refers to two environments

    cycle_case = testing.CycleCaseFactory(cycle=testing.CycleFactory(project=project))
    testing.ExecutionFactory(cycle_case=cycle_case)  # refers to the cycle case and the case
    testing.DefectFactory(project=project)
    testing.LoadTestResultFactory(project=project)

    migration.MigrationRunFactory(project=project)  # object, upload, run, staged rows and errors


def test_deleting_a_project_deletes_its_content_in_every_app(project, other_project, pm, api_client_for):
    _fill(project, pm)
    _fill(other_project, other_project.memberships.create(user=pm, role=Role.PM).user)
    rows = _rows_of(project.pk)
    apps_with_rows = {label.split(".")[0] for label in rows}
    assert apps_with_rows >= {"projects", "discovery", "design", "development", "testing", "datamigration"}
    others_before = _rows_of(other_project.pk)

    response = api_client_for(pm).delete(reverse("projects-api:project-detail", args=[project.code]))

    assert response.status_code == 204, response.content
    assert not Project.objects.filter(pk=project.pk).exists()
    assert _rows_of(project.pk) == {}
    assert _rows_of(other_project.pk) == others_before
    connection.check_constraints()  # nothing left pointing at a deleted row


def test_the_demo_project_can_be_deleted_whole(db):
    call_command("seed_demo", stdout=io.StringIO())
    demo = Project.objects.get(code="DEMO-ERP")
    pm = demo.memberships.get(role=Role.PM).user
    assert len({label.split(".")[0] for label in _rows_of(demo.pk)}) >= 6

    services.project_delete(project=demo, by=pm)

    assert _rows_of(demo.pk) == {}
    connection.check_constraints()


def test_a_row_of_another_project_referring_to_it_blocks_the_delete_with_409(
    project, other_project, pm, api_client_for
):
    requirement = design.RequirementFactory(project=project, title="Shared requirement")
    design.FunctionDescriptionFactory(project=other_project, requirement=requirement)

    response = api_client_for(pm).delete(reverse("projects-api:project-detail", args=[project.code]))

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "function description" in detail and other_project.code in detail
    assert Project.objects.filter(pk=project.pk).exists() and Phase.objects.filter(project=project).count() == 6


def test_a_row_other_rows_depend_on_answers_409_on_the_api_and_a_message_on_the_page(
    project, consultant, client, api_client_for
):
    """Deleting one row that others refer to (not the whole project) is refused, never a 500."""
    from phases.discovery.models import Requirement

    requirement = design.RequirementFactory(project=project)
    design.FunctionDescriptionFactory(project=project, requirement=requirement, title="Credit check")

    response = api_client_for(consultant).delete(reverse("discovery-api:requirement-detail", args=[requirement.pk]))
    assert response.status_code == 409
    assert "function description “Credit check”" in response.json()["detail"]

    client.force_login(consultant)
    page = client.post(
        reverse("discovery:requirement_delete", args=[project.code, requirement.pk]), follow=True
    ).content.decode()
    assert "function description “Credit check”" in page
    assert Requirement.objects.filter(pk=requirement.pk).exists()
