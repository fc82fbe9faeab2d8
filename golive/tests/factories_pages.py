"""Readiness runs for the page tests, made the way the product makes them: requested through
the service, then claimed and executed in the test's process (what the Celery task does),
so no worker is needed."""

from golive import services
from golive.models import ReadinessRun

#: The worker name runs are claimed under (a page test checks the client never reads it).
WORKER = "page-tests-worker"


def execute(run: ReadinessRun) -> ReadinessRun:
    """Run a queued run to its end, as the ``readiness`` worker would."""
    claimed, token = services.readiness_run_claim(run_id=run.pk, worker=WORKER)
    assert claimed is not None, f"run #{run.number} could not be claimed ({run.status})"
    return services.readiness_run_execute(run=claimed, token=token)


def finished_run(project, *, by) -> ReadinessRun:
    """A readiness run of every active criterion of ``project``, requested by ``by`` and finished."""
    return execute(services.readiness_run_request(project=project, by=by))
