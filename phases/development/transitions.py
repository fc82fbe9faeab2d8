"""The allowed status moves of a development item, as data. ``services`` enforces them.

``ITEM_TRANSITIONS[from][to]`` is the capability the move needs on the project; building
and reworking items is the firm's work (EDIT). designed → in development → dev-tested →
ready for test → accepted, with the way back for rework (a failed unit test or a failed
test returns the item to development), and cancel / reinstate. Anything not listed here is
refused with ``ILLEGAL_TRANSITION``. Each row lists its targets in board order; pages and
the API offer only the moves the user may make (``projects.roles.allowed_moves``).
"""

from phases.development.models import DevelopmentItem
from projects.roles import Capability

S = DevelopmentItem.Status
EDIT = Capability.EDIT

ITEM_TRANSITIONS: dict[str, dict[str, Capability]] = {
    S.DESIGNED: {S.IN_DEVELOPMENT: EDIT, S.CANCELLED: EDIT},
    S.IN_DEVELOPMENT: {S.DESIGNED: EDIT, S.DEV_TESTED: EDIT, S.CANCELLED: EDIT},
    S.DEV_TESTED: {S.IN_DEVELOPMENT: EDIT, S.READY_FOR_TEST: EDIT, S.CANCELLED: EDIT},
    S.READY_FOR_TEST: {S.IN_DEVELOPMENT: EDIT, S.ACCEPTED: EDIT, S.CANCELLED: EDIT},
    S.ACCEPTED: {S.IN_DEVELOPMENT: EDIT},
    S.CANCELLED: {S.DESIGNED: EDIT},
}


def item_next_statuses(status: str) -> list[str]:
    """Every status an item in ``status`` may move to, whoever moves it (board order)."""
    return list(ITEM_TRANSITIONS.get(status, {}))
