"""factory_boy classes for the support plan, training and user guides."""

from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from golive.models import (
    Attendance,
    EscalationLevel,
    SupportPlan,
    SupportTeam,
    TrainingSession,
    UserGuide,
    UserGuideVersion,
)
from projects.tests.factories import ProjectFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "guide.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class SupportPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPlan
        django_get_or_create = ("project",)

    project = factory.SubFactory(ProjectFactory)
    working_hours = "Mon-Fri 8:00-17:00"


class SupportTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportTeam

    plan = factory.SubFactory(SupportPlanFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class EscalationLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EscalationLevel

    plan = factory.SubFactory(SupportPlanFactory)
    level = EscalationLevel.Level.L1
    contact_name = "Help desk"
    contact_email = "helpdesk@example.com"


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    project = factory.SubFactory(ProjectFactory)
    topic = factory.Sequence(lambda n: f"Training {n}")
    audience_roles = factory.LazyFunction(lambda: ["key_user"])
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "Room 1"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(TrainingSessionFactory)
    user = factory.SubFactory(UserFactory)


class UserGuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserGuide

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Guide {n}")


class UserGuideVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserGuideVersion

    guide = factory.SubFactory(UserGuideFactory)
    number = factory.Sequence(lambda n: n + 1)
    file = factory.LazyFunction(pdf_upload)
    original_name = "guide.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
