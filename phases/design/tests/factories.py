"""factory_boy factories of the design app (built on ``projects.tests.factories``)."""

from pathlib import Path

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from phases.design.models import FunctionDescription, ProcessDesign, ProcessStep, TechnicalRequirement
from phases.discovery.models import BusinessArea, Requirement
from projects.tests.factories import ProjectFactory, ProjectNumberedFactory

DEMO_DATA = Path(__file__).resolve().parent.parent / "demo_data"
#: The demo diagrams as a modelling tool exports them (BPMN 2.0 with diagram interchange).
P2P_BPMN = (DEMO_DATA / "procure-to-pay.bpmn").read_bytes()
O2C_BPMN = (DEMO_DATA / "order-to-cash.bpmn").read_bytes()


class UploadFactory(factory.Factory):
    """An uploaded file as a form or the API receives it; by default the procure-to-pay diagram."""

    class Meta:
        model = SimpleUploadedFile

    name = "procure-to-pay.bpmn"
    content = P2P_BPMN
    content_type = "application/xml"


class RequirementFactory(factory.django.DjangoModelFactory):
    """A discovery requirement (the design app only reads them)."""

    class Meta:
        model = Requirement

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"REQ-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Requirement {n}")
    business_area = BusinessArea.PROCUREMENT
    status = Requirement.Status.AGREED


class ProcessDesignFactory(ProjectNumberedFactory):
    _code_prefix = "PD"

    class Meta:
        model = ProcessDesign
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
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


class TechnicalRequirementFactory(ProjectNumberedFactory):
    _code_prefix = "TR"

    class Meta:
        model = TechnicalRequirement

    project = factory.SubFactory(ProjectFactory)
    category = TechnicalRequirement.Category.BACKUP_RECOVERY
    title = factory.Sequence(lambda n: f"Technical requirement {n}")
    acceptance_criterion = "Restore of last night's backup completes in under 4 hours."
