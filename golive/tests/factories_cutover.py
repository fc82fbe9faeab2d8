"""Factories of the cutover runbook: plan tasks through the service, as a PM would create them."""

import factory

from golive.models import CutoverTask, SupportPlan, SupportTeam
from golive.services.cutover import cutover_task_create
from projects.models import Membership
from projects.roles import Role
from projects.tests.factories import ProjectFactory


def editor_of(project):
    """A PM of the project (the first one), created when it has none."""
    membership = Membership.objects.filter(project=project, role=Role.PM).select_related("user").first()
    if membership is not None:
        return membership.user
    from projects.tests.factories import MembershipFactory

    return MembershipFactory(project=project, role=Role.PM).user


class CutoverTaskFactory(factory.django.DjangoModelFactory):
    """A plan task made by ``services.cutover.cutover_task_create`` (numbered, checked)."""

    class Meta:
        model = CutoverTask

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Cutover step {n}")
    stream = "Finance"
    planned_minutes = 30

    @classmethod
    def _create(cls, model_class, *, project, by=None, **kwargs):
        return cutover_task_create(project=project, by=by or editor_of(project), **kwargs)


def team_of(project, *members, name="Finance team"):
    plan, _created = SupportPlan.objects.get_or_create(project=project)
    team = SupportTeam.objects.create(plan=plan, name=name)
    team.members.set(members)
    return team
