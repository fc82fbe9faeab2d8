"""Races on real PostgreSQL: exactly one winner (RELIABILITY F5)."""

import threading

import pytest
from django.db import connection

from erpimpl.errors import DomainError
from testing import services
from testing.models import Cycle, Execution
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n, work):
    barrier = threading.Barrier(n)
    outcomes = []

    def run(index):
        try:
            barrier.wait()
            outcomes.append(("ok", work(index)))
        except Exception as exc:
            outcomes.append(("refused", exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_simultaneous_signoffs_record_one_decision(project, pm, consultant, sponsor):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    CycleCaseFactory(cycle=cycle)
    services.cycle_signoff_request(cycle=cycle, by=consultant)  # the requester never decides: two others race
    approvers = [pm, sponsor]
    outcomes = _race(
        2,
        lambda i: services.cycle_signoff_decide(
            cycle=Cycle.objects.get(pk=cycle.pk), by=approvers[i], decision="approved", comment=f"by {i}"
        ),
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    refused = next(value for kind, value in outcomes if kind == "refused")
    assert isinstance(refused, DomainError) and refused.message == services.SIGNOFF_NOT_REQUESTED
    assert Cycle.objects.get(pk=cycle.pk).signoff.decision == "approved"


def test_double_clicked_start_makes_one_run(project, key_user):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    cc = CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project), assignee=key_user)
    outcomes = _race(4, lambda i: services.execution_start(cycle_case=cc, by=key_user).pk)
    assert {kind for kind, _ in outcomes} == {"ok"}
    assert len({value for _, value in outcomes}) == 1
    assert Execution.objects.filter(cycle_case=cc).count() == 1
