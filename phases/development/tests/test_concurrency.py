"""Races on real PostgreSQL: two moves of the same card, two creates at the same time."""

import threading

import pytest
from django.db import connection

from erpimpl.errors import ConflictError
from phases.development import services
from phases.development.models import DevelopmentItem
from phases.development.tests.factories import DevelopmentItemFactory

S = DevelopmentItem.Status


def _race(workers):
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_moves_of_the_same_card_one_wins_the_other_conflicts(project, consultant, pm):
    item = DevelopmentItemFactory(project=project, assignee=consultant)
    for _ in range(10):
        item.refresh_from_db()
        seen = item.version
        forward = S.IN_DEVELOPMENT if item.status == S.DESIGNED else S.DESIGNED

        def move(user, to_status, seen=seen):
            return services.development_item_transition(item=item, by=user, to_status=to_status, version=seen)

        results = _race([lambda f=forward: move(consultant, f), lambda: move(pm, S.CANCELLED)])
        winners = [r for r in results if isinstance(r, DevelopmentItem)]
        assert len(winners) == 1, results
        assert sum(isinstance(r, ConflictError) for r in results) == 1, results
        item.refresh_from_db()
        assert item.version == seen + 1 and item.status == winners[0].status
        if item.status == S.CANCELLED:
            services.development_item_transition(item=item, by=pm, to_status=S.DESIGNED)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_creates_get_distinct_codes(project, consultant, pm):
    results = _race(
        [
            (
                lambda user=user, n=n: services.development_item_create(
                    project=project, by=user, type="report", title=f"Báo cáo {n}"
                )
            )
            for n, user in enumerate([consultant, pm, consultant, pm])
        ]
    )
    assert all(isinstance(r, DevelopmentItem) for r in results), results
    assert sorted(r.code for r in results) == ["DEV-001", "DEV-002", "DEV-003", "DEV-004"]
