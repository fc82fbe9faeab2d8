"""factory_boy factories of the golive app (build on ``projects.tests.factories``).

Rows are saved through the ORM, so a test starts from exactly the state it describes. The
runbook and the support plan are one per project: their factories get the project's one
(``django_get_or_create``), so tasks, runs and teams of a project share it.
"""

from datetime import timedelta

import factory
from django.db.models import Max
from django.utils import timezone

from golive.models import (
    Attendance,
    Category,
    CutoverRun,
    CutoverRunTask,
    CutoverTask,
    ReadinessCriterion,
    Runbook,
    SupportPlan,
    SupportTeam,
    TaskType,
    TrainingSession,
    UserGuide,
)
from projects.tests.factories import ProjectFactory, ProjectNumberedFactory, UserFactory

# --- readiness ------------------------------------------------------------------------------


class ReadinessCriterionFactory(factory.django.DjangoModelFactory):
    """An automatic criterion on the ``open_defects`` rule unless told otherwise."""

    class Meta:
        model = ReadinessCriterion

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"RC-{n + 1:02d}")
    title = factory.Sequence(lambda n: f"Criterion {n}")
    category = Category.TESTING
    kind = ReadinessCriterion.Kind.AUTOMATIC
    rule = "open_defects"
    order = factory.Sequence(lambda n: n * 10)


# --- cutover --------------------------------------------------------------------------------


class RunbookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Runbook
        django_get_or_create = ("project",)

    project = factory.SubFactory(ProjectFactory)
    title = "Cutover runbook"
    window_hours = 48


class CutoverTaskFactory(ProjectNumberedFactory):
    """A task of the project's runbook (``CT-001``...), owned by a person, 60 minutes."""

    _code_prefix = "CT"

    class Meta:
        model = CutoverTask
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    runbook = factory.LazyAttribute(lambda o: RunbookFactory(project=o.project))
    title = factory.Sequence(lambda n: f"Cutover task {n}")
    type = TaskType.NORMAL
    owner = factory.SubFactory(UserFactory)
    planned_minutes = 60

    @factory.post_generation
    def predecessors(self, create, extracted, **kwargs):
        if create and extracted:
            self.predecessors.set(extracted)


class CutoverRunFactory(factory.django.DjangoModelFactory):
    """A completed rehearsal of the project's runbook, numbered after its last run, that
    started two days ago and took ``hours`` (default 24) by its planned start and end."""

    class Meta:
        model = CutoverRun

    class Params:
        hours = 24

    project = factory.SubFactory(ProjectFactory)
    runbook = factory.LazyAttribute(lambda o: RunbookFactory(project=o.project))
    kind = CutoverRun.Kind.REHEARSAL
    number = factory.LazyAttribute(lambda o: (o.runbook.runs.aggregate(n=Max("number"))["n"] or 0) + 1)
    status = CutoverRun.Status.COMPLETED
    baseline_start = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    finished_at = factory.LazyAttribute(
        lambda o: o.baseline_start + timedelta(hours=o.hours) if o.status == CutoverRun.Status.COMPLETED else None
    )


class CutoverRunTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CutoverRunTask

    run = factory.SubFactory(CutoverRunFactory)
    code = factory.Sequence(lambda n: f"CT-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Run task {n}")
    type = TaskType.NORMAL
    planned_minutes = 60
    state = CutoverRunTask.State.COMPLETE


# --- support plan, training, user guides ----------------------------------------------------


class SupportPlanFactory(factory.django.DjangoModelFactory):
    """The project's support plan, not yet signed off."""

    class Meta:
        model = SupportPlan
        django_get_or_create = ("project",)

    project = factory.SubFactory(ProjectFactory)
    working_hours = "Mon–Fri 08:00–17:30"
    procedure = "Call the L1 desk; it escalates to L2 within 30 minutes."


class SupportTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportTeam

    plan = factory.SubFactory(SupportPlanFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A two-hour session a week ago, for key users."""

    class Meta:
        model = TrainingSession

    project = factory.SubFactory(ProjectFactory)
    topic = factory.Sequence(lambda n: f"Training {n}")
    audience_roles = factory.LazyFunction(lambda: ["key_user"])
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(TrainingSessionFactory)
    user = factory.SubFactory(UserFactory)
    status = Attendance.Status.ATTENDED


class UserGuideFactory(factory.django.DjangoModelFactory):
    """A published guide; ``processes=[design, ...]`` links it to process designs."""

    class Meta:
        model = UserGuide
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"User guide {n}")
    published = True

    @factory.post_generation
    def processes(self, create, extracted, **kwargs):
        if create and extracted:
            self.processes.set(extracted)
