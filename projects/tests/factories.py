"""factory_boy factories of the projects app. Other apps' factories build on these."""

import itertools
from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.db.models import Max

from projects import services
from projects.models import Approval, Membership, Milestone, Project, Task
from projects.roles import Role

_codes = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("pw-for-tests-1")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project created the way users create them: six phases, plan and milestones.

    The firm user who created it is not kept as a member, so tests add exactly the
    members they need (``MembershipFactory`` or the persona fixtures).
    """

    class Meta:
        model = Project

    code = factory.LazyFunction(lambda: f"P{next(_codes):04d}")
    name = factory.Faker("catch_phrase")
    client_name = factory.Faker("company")
    planned_start = date(2026, 1, 5)
    planned_golive = date(2026, 9, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        creator = UserFactory(is_staff=True)
        project = services.project_create(by=creator, **kwargs)
        project.memberships.filter(user=creator).delete()
        return project


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    role = Role.VIEWER


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = date(2026, 6, 1)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    project = factory.SubFactory(ProjectFactory)
    phase = factory.LazyAttribute(lambda t: t.project.phases.get(kind="design"))
    title = factory.Sequence(lambda n: f"Task {n}")
    start = date(2026, 3, 1)
    due = date(2026, 3, 10)


class ApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approval

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Sign-off {n}")
    requested_by = factory.SubFactory(UserFactory)


class ProjectNumberedFactory(factory.django.DjangoModelFactory):
    """A row numbered within its project the way the services number it: ``number`` is the
    project's next one and ``code`` is ``<_code_prefix>-nnn``, unless the test gives them.
    """

    _code_prefix = ""

    class Meta:
        abstract = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if kwargs.get("number") is None:
            rows = cls._meta.model.objects.filter(project=kwargs["project"])
            kwargs["number"] = (rows.aggregate(n=Max("number"))["n"] or 0) + 1
        if kwargs.get("code") is None:
            kwargs["code"] = f"{cls._code_prefix}-{kwargs['number']:03d}"
        return kwargs
