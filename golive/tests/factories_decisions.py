"""factory_boy factories for go/no-go decision tests: finished readiness runs with results.

``ReadinessRunFactory`` builds a finished run (numbered after the project's last); give it
results with ``ReadinessResultFactory(run=...)``. ``finished_run(project, results=[...])``
builds both and sets the run's figures from its results, like the worker does.
"""

from datetime import timedelta

import factory
from django.db.models import Max
from django.utils import timezone

from golive.models import Category, ReadinessResult, ReadinessRun
from golive.services.readiness import score_of
from projects.tests.factories import ProjectFactory


class ReadinessRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReadinessRun

    project = factory.SubFactory(ProjectFactory)
    number = factory.LazyAttribute(lambda o: (o.project.readiness_runs.aggregate(n=Max("number"))["n"] or 0) + 1)
    status = ReadinessRun.Status.SUCCEEDED
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=5))
    finished_at = factory.LazyFunction(timezone.now)


class ReadinessResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReadinessResult

    run = factory.SubFactory(ReadinessRunFactory)
    code = factory.Sequence(lambda n: f"RC-{n + 1:02d}")
    title = factory.Sequence(lambda n: f"Criterion {n}")
    category = Category.TESTING
    kind = "automatic"
    rule = "open_defects"
    result = ReadinessResult.Result.PASS
    order = factory.Sequence(lambda n: n * 10)


def finished_run(project, results=()):
    """A finished run of ``project`` with one result per dict of ``results`` (factory fields),
    its score, recommendation and blockers computed from them."""
    run = ReadinessRunFactory(project=project)
    rows = [ReadinessResultFactory(run=run, **fields) for fields in results]
    run.score, run.recommendation, run.blockers = score_of(rows)
    run.criteria_total = run.criteria_done = len(rows)
    run.save()
    return run


#: A run with a failed client-visible blocker, a failed internal blocker and a pass.
BLOCKED = [
    {"code": "RC-PASS", "title": "Scope signed off", "result": "pass", "blocking": True},
    {"code": "RC-FAIL", "title": "Open critical defects", "result": "fail", "blocking": True, "measured": "3"},
    {"code": "RC-SECRET", "title": "Firm margin check", "result": "fail", "blocking": True, "internal": True},
]
#: A run where everything passed.
CLEAN = [{"code": "RC-PASS", "title": "Scope signed off", "result": "pass", "blocking": True}]
