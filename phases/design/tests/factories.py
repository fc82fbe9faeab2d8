"""factory_boy factories of the design app (built on ``projects.tests.factories``)."""

from pathlib import Path

import factory
from django.db.models import Max

from phases.design.models import FunctionDescription, ProcessDesign, ProcessStep, TechnicalRequirement
from phases.discovery.models import BusinessArea, Requirement
from projects.tests.factories import ProjectFactory


def _next_number(model):
    def number(obj):
        return (model.objects.filter(project=obj.project).aggregate(n=Max("number"))["n"] or 0) + 1

    return factory.LazyAttribute(number)


DEMO_DATA = Path(__file__).resolve().parent.parent / "demo_data"


def bpmn_bytes(name: str = "procure-to-pay") -> bytes:
    return (DEMO_DATA / f"{name}.bpmn").read_bytes()


class RequirementFactory(factory.django.DjangoModelFactory):
    """A discovery requirement (the design app only reads them)."""

    class Meta:
        model = Requirement

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"REQ-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Requirement {n}")
    business_area = BusinessArea.PROCUREMENT
    status = Requirement.Status.AGREED


class ProcessDesignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessDesign
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    number = _next_number(ProcessDesign)
    code = factory.LazyAttribute(lambda d: f"PD-{d.number:03d}")
    business_area = BusinessArea.PROCUREMENT
    name = factory.Sequence(lambda n: f"Process {n}")
    to_be = "Purchase orders are created from approved requisitions."

    @factory.post_generation
    def requirements(self, create, extracted, **kwargs):
        if create and extracted:
            self.requirements.set(extracted)


class ProcessStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessStep

    design = factory.SubFactory(ProcessDesignFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Step {n}")


class FunctionDescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunctionDescription

    project = factory.SubFactory(ProjectFactory)
    requirement = factory.SubFactory(RequirementFactory, project=factory.SelfAttribute("..project"))
    kind = FunctionDescription.Kind.STANDARD
    title = factory.Sequence(lambda n: f"Function {n}")


class TechnicalRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicalRequirement

    project = factory.SubFactory(ProjectFactory)
    number = _next_number(TechnicalRequirement)
    code = factory.LazyAttribute(lambda t: f"TR-{t.number:03d}")
    category = TechnicalRequirement.Category.BACKUP_RECOVERY
    title = factory.Sequence(lambda n: f"Technical requirement {n}")
    acceptance_criterion = "Restore of last night's backup completes in under 4 hours."
