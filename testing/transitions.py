"""Allowed status moves of the testing app, as data. ``services`` enforces them; pages and
the API offer ``projects.roles.allowed_moves(user, project, TABLE, current)``.

Every table has the one shape ``{from_status: {to_status: Capability}}``: the capability
the move needs on the project.

``DEFECT_TRANSITIONS``: triage and fixing are the firm's work (EDIT); the tester who checks
a fix in retest may close the defect or send it back (PARTICIPATE), as may anyone who can
log defects reopen a closed one.

``CYCLE_TRANSITIONS``: the test team (EDIT) starts, completes and reopens a cycle (a
planned cycle also starts running with its first execution).
"""

from projects.roles import Capability
from testing.models import Cycle, Defect

S = Defect.Status
EDIT = Capability.EDIT
PARTICIPATE = Capability.PARTICIPATE

DEFECT_TRANSITIONS: dict[str, dict[str, Capability]] = {
    S.NEW: {S.OPEN: EDIT, S.REJECTED: EDIT, S.DEFERRED: EDIT},
    S.OPEN: {S.IN_PROGRESS: EDIT, S.REJECTED: EDIT, S.DEFERRED: EDIT},
    S.IN_PROGRESS: {S.FIXED: EDIT, S.OPEN: EDIT, S.DEFERRED: EDIT},
    S.FIXED: {S.RETEST: EDIT, S.OPEN: EDIT},
    S.RETEST: {S.CLOSED: PARTICIPATE, S.OPEN: PARTICIPATE},
    S.CLOSED: {S.OPEN: PARTICIPATE},
    S.REJECTED: {S.OPEN: EDIT},
    S.DEFERRED: {S.OPEN: EDIT},
}

#: Statuses that count as "open" (block a clean sign-off, show in traceability).
OPEN_DEFECT_STATUSES = frozenset({S.NEW, S.OPEN, S.IN_PROGRESS, S.FIXED, S.RETEST})
#: Statuses that stamp ``resolved_at``.
RESOLVED_DEFECT_STATUSES = frozenset({S.CLOSED, S.REJECTED})

C = Cycle.Status
CYCLE_TRANSITIONS: dict[str, dict[str, Capability]] = {
    C.PLANNED: {C.RUNNING: EDIT},
    C.RUNNING: {C.COMPLETED: EDIT, C.PLANNED: EDIT},
    C.COMPLETED: {C.RUNNING: EDIT},
}


def defect_next_statuses(status: str) -> list[str]:
    """Every status a defect may move to from ``status`` (whoever makes the move)."""
    return list(DEFECT_TRANSITIONS.get(status, {}))
