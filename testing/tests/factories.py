"""factory_boy factories of the testing app (build on ``projects.tests.factories``)."""

import factory
from django.utils import timezone

from projects.tests.factories import ProjectFactory, UserFactory
from testing.models import Case, CaseStep, Cycle, CycleCase, Defect, Execution, LoadTestResult, StepResult


class CaseFactory(factory.django.DjangoModelFactory):
    """A test case with ``steps`` steps (3 by default)."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"TC-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Test case {n}")
    type = Case.Type.FUNCTIONAL

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        if not create:
            return
        count = 3 if extracted is None else extracted
        CaseStep.objects.bulk_create(
            CaseStep(case=self, order=i, action=f"Do step {i}", expected_result=f"Step {i} works")
            for i in range(1, count + 1)
        )


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Cycle {n}")
    type = Cycle.Type.FUNCTIONAL
    status = Cycle.Status.RUNNING


class CycleCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CycleCase

    cycle = factory.SubFactory(CycleFactory)
    case = factory.LazyAttribute(lambda o: CaseFactory(project=o.cycle.project))
    assignee = None


class ExecutionFactory(factory.django.DjangoModelFactory):
    """A run of a cycle case, with one step result per step of the case."""

    class Meta:
        model = Execution
        skip_postgeneration_save = True

    cycle_case = factory.SubFactory(CycleCaseFactory)
    cycle = factory.LazyAttribute(lambda o: o.cycle_case.cycle)
    case = factory.LazyAttribute(lambda o: o.cycle_case.case)
    run = 1
    tester = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def step_results(self, create, extracted, **kwargs):
        if not create:
            return
        statuses = extracted or {}
        StepResult.objects.bulk_create(
            StepResult(
                execution=self,
                step=step,
                order=step.order,
                action=step.action,
                expected_result=step.expected_result,
                status=statuses.get(step.order, StepResult.Status.NOT_RUN),
            )
            for step in self.case.steps.order_by("order")
        )


class DefectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Defect

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"DEF-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Defect {n}")
    severity = Defect.Severity.MAJOR
    status = Defect.Status.NEW
    reported_by = factory.SubFactory(UserFactory)
    resolved_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in (Defect.Status.CLOSED, Defect.Status.REJECTED) else None
    )


class LoadTestResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoadTestResult

    project = factory.SubFactory(ProjectFactory)
    scenario = factory.Sequence(lambda n: f"Scenario {n}")
    virtual_users = 100
    duration_seconds = 600
    throughput_rps = 120
    p95_ms = 800
    p99_ms = 1500
    error_rate = "0.100"
    max_p95_ms = 1000
    passed = True
    executed_at = factory.LazyFunction(timezone.now)
    recorded_by = factory.SubFactory(UserFactory)
