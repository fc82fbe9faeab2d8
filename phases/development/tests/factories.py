"""factory_boy factories of the development app (build on ``projects.tests.factories``)."""

import factory
from django.db.models import Max

from phases.development.models import DevelopmentItem, Environment, Release
from projects.tests.factories import ProjectFactory


def _next_number(model, project) -> int:
    return (model.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1


class EnvironmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Environment

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"ENV{n}")
    kind = Environment.Kind.DEVELOPMENT
    order = factory.Sequence(lambda n: n + 1)
    url = "https://erp-dev.example.test"
    software_version = "17.0"


class DevelopmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentItem

    project = factory.SubFactory(ProjectFactory)
    number = factory.LazyAttribute(lambda o: _next_number(DevelopmentItem, o.project))
    code = factory.LazyAttribute(lambda o: f"DEV-{o.number:03d}")
    type = DevelopmentItem.Type.REPORT
    title = factory.Sequence(lambda n: f"Development item {n}")
    complexity = DevelopmentItem.Complexity.MEDIUM
    estimate_days = 4.5


class InterfaceItemFactory(DevelopmentItemFactory):
    type = DevelopmentItem.Type.INTERFACE
    external_system = "Bank host-to-host"
    direction = DevelopmentItem.Direction.OUTBOUND
    protocol = "SFTP"
    frequency = "Daily"
    data_objects = "Payment runs"


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    number = factory.LazyAttribute(lambda o: _next_number(Release, o.project))
    code = factory.LazyAttribute(lambda o: f"REL-{o.number:03d}")
    title = factory.Sequence(lambda n: f"Transport {n}")
    source_environment = factory.LazyAttribute(lambda o: EnvironmentFactory(project=o.project, name=f"SRC{o.number}"))
    target_environment = factory.LazyAttribute(
        lambda o: EnvironmentFactory(project=o.project, name=f"TGT{o.number}", kind=Environment.Kind.TEST)
    )

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create and extracted:
            self.items.set(extracted)
