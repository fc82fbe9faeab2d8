"""factory_boy classes for the support plan, training and user guides."""

from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from golive.models import (
    Attendance,
    EscalationLevel,
    UserGuideVersion,
)
from golive.tests import factories as base
from golive.tests.factories import (  # noqa: F401  (the people tests use them from here)
    SupportPlanFactory,
    SupportTeamFactory,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "guide.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class EscalationLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EscalationLevel

    plan = factory.SubFactory(SupportPlanFactory)
    level = EscalationLevel.Level.L1
    contact_name = "Help desk"
    contact_email = "helpdesk@example.com"


class TrainingSessionFactory(base.TrainingSessionFactory):
    """A session in three days (the shared factory's is a week ago)."""

    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    place = "Room 1"


class AttendanceFactory(base.AttendanceFactory):
    session = factory.SubFactory(TrainingSessionFactory)
    status = Attendance.Status.INVITED


class UserGuideFactory(base.UserGuideFactory):
    """A draft guide (the shared factory's is published)."""

    title = factory.Sequence(lambda n: f"Guide {n}")
    published = False


class UserGuideVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserGuideVersion

    guide = factory.SubFactory(UserGuideFactory)
    number = factory.Sequence(lambda n: n + 1)
    file = factory.LazyFunction(pdf_upload)
    original_name = "guide.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
