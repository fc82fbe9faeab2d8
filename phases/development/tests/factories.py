"""factory_boy factories of the development app (build on ``projects.tests.factories``)."""

import factory

from phases.development.models import DevelopmentItem, Environment, Release
from projects.tests.factories import ProjectFactory, ProjectNumberedFactory


class EnvironmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Environment

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"ENV{n}")
    kind = Environment.Kind.DEVELOPMENT
    order = factory.Sequence(lambda n: n + 1)
    url = "https://erp-dev.example.test"
    software_version = "17.0"


class DevelopmentItemFactory(ProjectNumberedFactory):
    _code_prefix = "DEV"

    class Meta:
        model = DevelopmentItem

    project = factory.SubFactory(ProjectFactory)
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


class ReleaseFactory(ProjectNumberedFactory):
    _code_prefix = "REL"

    class Meta:
        model = Release
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Transport {n}")
    source_environment = factory.SubFactory(
        EnvironmentFactory, project=factory.SelfAttribute("..project"), name=factory.Sequence(lambda n: f"SRC{n}")
    )
    target_environment = factory.SubFactory(
        EnvironmentFactory,
        project=factory.SelfAttribute("..project"),
        name=factory.Sequence(lambda n: f"TGT{n}"),
        kind=Environment.Kind.TEST,
    )

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create and extracted:
            self.items.set(extracted)
