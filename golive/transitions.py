"""Allowed state moves of the go-live app, as data. ``golive.services.cutover`` enforces them;
the board and the API offer ``projects.roles.allowed_moves(user, project, TABLE, current)``.

Every table has the one shape ``{from_state: {to_state: Capability}}``: the capability the
move needs on the project.

``CUTOVER_TASK_MOVES`` (a task of a cutover run):

- not ready → ready is the system's move (``SYSTEM``: nobody holds it) when every predecessor
  is complete or skipped and the fixed start, if any, has passed (live runs only);
- ready → in progress and in progress → complete | failed need PARTICIPATE, and the service
  adds that the mover is the task's owner, a member of its owner team, or holds RUN_JOBS
  (the cutover manager: PM, consultant), who may move any task;
- ready | not ready → skipped needs RUN_JOBS and a reason.

A validation task or a go/no-go checkpoint finishes with ``passed`` true (complete) or false
(failed); a failed checkpoint of the live run stops the run (see the service).
"""

from golive.models import CutoverRunTask
from projects.roles import Capability

S = CutoverRunTask.State
PARTICIPATE = Capability.PARTICIPATE
RUN_JOBS = Capability.RUN_JOBS
#: A move only the system makes: no role holds it, so ``allowed_moves`` never offers it.
SYSTEM = None

CUTOVER_TASK_MOVES: dict[str, dict[str, Capability | None]] = {
    S.NOT_READY: {S.READY: SYSTEM, S.SKIPPED: RUN_JOBS},
    S.READY: {S.IN_PROGRESS: PARTICIPATE, S.SKIPPED: RUN_JOBS},
    S.IN_PROGRESS: {S.COMPLETE: PARTICIPATE, S.FAILED: PARTICIPATE},
    S.COMPLETE: {},
    S.FAILED: {},
    S.SKIPPED: {},
}

#: Moves the owner of a task (or a member of its owner team) makes; other moves need the capability alone.
OWNER_MOVES = frozenset({(S.READY, S.IN_PROGRESS), (S.IN_PROGRESS, S.COMPLETE), (S.IN_PROGRESS, S.FAILED)})
#: States in which a task no longer blocks the end of the run.
DONE_STATES = frozenset({S.COMPLETE, S.SKIPPED})
#: States a task cannot leave.
FINAL_STATES = frozenset({S.COMPLETE, S.FAILED, S.SKIPPED})
