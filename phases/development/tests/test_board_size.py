"""The board at size: the first cards of each column, every column's count, constant queries.

A project of 2,000 items drew 2,000 cards (each with its move buttons) on every visit.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phases.development.models import DevelopmentItem
from phases.development.selectors import CARDS_PER_COLUMN
from phases.development.tests.factories import DevelopmentItemFactory

BUDGET = 25


def _items(project, n, status=DevelopmentItem.Status.DESIGNED):
    return [DevelopmentItemFactory(project=project, status=status) for _ in range(n)]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona, page", [("pm", "development:board"), ("viewer", "development-portal:board")])
def test_the_board_asks_the_same_few_queries_at_any_size(persona, page, project, client_of):
    client = client_of(persona)
    url = reverse(page, args=[project.code])
    _items(project, 2)
    small = _queries(client, url)
    _items(project, 60)
    _items(project, 5, DevelopmentItem.Status.IN_DEVELOPMENT)
    assert _queries(client, url) == small <= BUDGET


def test_a_full_column_shows_its_first_cards_its_count_and_a_link_to_the_rest(project, pm, client):
    backlog = _items(project, CARDS_PER_COLUMN + 7)
    _items(project, 2, DevelopmentItem.Status.IN_DEVELOPMENT)
    client.force_login(pm)
    response = client.get(reverse("development:board", args=[project.code]))
    columns = {c.status: c for c in response.context["columns"]}
    assert columns["designed"].count == CARDS_PER_COLUMN + 7
    assert [i.pk for i in columns["designed"].items] == [i.pk for i in backlog[:CARDS_PER_COLUMN]]
    assert columns["in_development"].count == 2 and columns["in_development"].more == 0
    html = response.content.decode()
    assert "7 more items in the list" in html
    assert f"{reverse('development:item_list', args=[project.code])}?status=designed" in html
