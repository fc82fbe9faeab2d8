"""The allowed status moves of a development item, as data (enforced by ``services``).

designed → in development → dev-tested → ready for test → accepted, with the way back
for rework (a failed unit test or a failed test returns the item to development), and
cancel / reinstate. Anything not listed here is refused with ``ILLEGAL_TRANSITION``.
"""

from phases.development.models import DevelopmentItem

S = DevelopmentItem.Status

ITEM_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DESIGNED: frozenset({S.IN_DEVELOPMENT, S.CANCELLED}),
    S.IN_DEVELOPMENT: frozenset({S.DEV_TESTED, S.DESIGNED, S.CANCELLED}),
    S.DEV_TESTED: frozenset({S.READY_FOR_TEST, S.IN_DEVELOPMENT, S.CANCELLED}),
    S.READY_FOR_TEST: frozenset({S.ACCEPTED, S.IN_DEVELOPMENT, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.IN_DEVELOPMENT}),
    S.CANCELLED: frozenset({S.DESIGNED}),
}


def allowed_targets(status: str) -> list[str]:
    """The statuses an item in ``status`` may move to, in board order."""
    targets = ITEM_TRANSITIONS.get(status, frozenset())
    return [value for value in S.values if value in targets]
