"""Allowed status moves of the testing app, as data. ``services`` enforces them.

``DEFECT_TRANSITIONS[from][to]`` is the capability the move needs on the project:
triage and fixing are the firm's work (EDIT); the tester who checks a fix in retest
may close the defect or send it back (PARTICIPATE), as may anyone who can log defects
reopen a closed one.
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
CYCLE_TRANSITIONS: dict[str, set[str]] = {
    C.PLANNED: {C.RUNNING},
    C.RUNNING: {C.COMPLETED, C.PLANNED},
    C.COMPLETED: {C.RUNNING},
}


def defect_next_statuses(status: str) -> list[str]:
    return list(DEFECT_TRANSITIONS.get(status, {}))
