"""factory_boy factories of the discovery app (build on ``projects.tests.factories``).

Rows are saved through the ORM, so tests of the services start from a known state; the
sign-off goes through its service (it needs an approval and the phase gate).
"""

from datetime import date, datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from phases.discovery.models import (
    BusinessArea,
    CurrentProcess,
    DiscoverySignoff,
    Kickoff,
    PlanDocument,
    RaidItem,
    Requirement,
    RolloutWave,
    Stakeholder,
)
from projects.roles import Role
from projects.tests.factories import MembershipFactory, ProjectFactory


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Stakeholder {n}")
    organisation = "Sao Mai Foods"


class KickoffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kickoff

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Kick-off {n}")
    meeting_date = factory.LazyFunction(lambda: timezone.make_aware(datetime(2026, 1, 8, 9, 0)))
    goals = "Một hệ thống ERP duy nhất"


class CurrentProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CurrentProcess

    project = factory.SubFactory(ProjectFactory)
    business_area = BusinessArea.FINANCE
    name = factory.Sequence(lambda n: f"Process {n}")


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"T-{n:04d}")
    title = factory.Sequence(lambda n: f"Requirement {n}")
    business_area = BusinessArea.SALES


class RaidItemFactory(factory.django.DjangoModelFactory):
    """A RAID item; a risk (the default kind) is scored 3 × 4."""

    class Meta:
        model = RaidItem

    project = factory.SubFactory(ProjectFactory)
    kind = RaidItem.Kind.RISK
    title = factory.LazyAttributeSequence(lambda o, n: f"{o.kind} {n}")
    probability = factory.LazyAttribute(lambda o: 3 if o.kind == RaidItem.Kind.RISK else None)
    impact = factory.LazyAttribute(lambda o: 4 if o.kind == RaidItem.Kind.RISK else None)


class RolloutWaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RolloutWave

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Wave {n}")
    start_date = date(2026, 3, 1)
    golive_date = date(2026, 6, 1)


class PlanDocumentFactory(factory.django.DjangoModelFactory):
    """A stored document; ``content`` is the file's bytes (a small PDF by default)."""

    class Meta:
        model = PlanDocument

    class Params:
        content = b"%PDF-1.4 test"

    project = factory.SubFactory(ProjectFactory)
    kind = PlanDocument.Kind.TEST_PROCEDURE
    title = factory.Sequence(lambda n: f"Document {n}")
    original_name = "plan.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: len(o.content))
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name=o.original_name))


class DiscoverySignoffFactory(factory.django.DjangoModelFactory):
    """A pending sign-off requested through the service by ``by`` (a consultant of the
    project unless given); an agreed requirement is added when the project has none."""

    class Meta:
        model = DiscoverySignoff

    project = factory.SubFactory(ProjectFactory)
    by = factory.LazyAttribute(lambda o: MembershipFactory(project=o.project, role=Role.CONSULTANT).user)

    @classmethod
    def _create(cls, model_class, *args, project, by, **kwargs):
        from phases.discovery import services

        if not project.requirements.filter(status=Requirement.Status.AGREED).exists():
            RequirementFactory(project=project, status="agreed", fit_gap="fit", resolution="standard")
        return services.discovery_signoff_request(project=project, by=by, **kwargs)
