"""Who may run and record what in the testing app: the rules on top of ``projects.roles``.

One function per rule, used by the services (which enforce it), the pages and the htmx
partials (which offer or hide the action) alike:

- ``may_execute(user, cycle_case)``: start a run (or a re-test) of a case in a cycle. The
  assignee may; the firm's test team (EDIT) may run any case; client roles only theirs.
- ``may_record(user, execution)``: record step results of a run, finish it, attach evidence.
  Its tester may, and the test team; never once the cycle is signed off.
  ``record_refusal`` says why not (``None`` when the user may).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from projects.roles import NOT_ALLOWED, Capability, can

C = Capability

NOT_ASSIGNED_TO_YOU = N_("You can only execute cases assigned to you; {case} is assigned to {assignee}.")
NOT_ASSIGNED_TO_ANYONE = N_("You can only execute cases assigned to you; {case} is not assigned to anyone yet.")
NOT_YOUR_RUN = N_("This run belongs to {tester}; only they or the test team can record its results.")
CYCLE_SIGNED_OFF = N_("This cycle is signed off; its scope and results can no longer change.")


def _name(user) -> str:
    return user.get_full_name() or user.username


def execute_refusal(user, cycle_case) -> str | None:
    """Why the user may not run this case of the cycle, or ``None`` when they may."""
    project = cycle_case.cycle.project
    if not can(user, project, C.PARTICIPATE):
        return NOT_ALLOWED
    if cycle_case.assignee_id == user.pk or can(user, project, C.EDIT):
        return None
    if cycle_case.assignee_id is None:
        return _(NOT_ASSIGNED_TO_ANYONE).format(case=cycle_case.case.code)
    return _(NOT_ASSIGNED_TO_YOU).format(case=cycle_case.case.code, assignee=_name(cycle_case.assignee))


def may_execute(user, cycle_case) -> bool:
    return execute_refusal(user, cycle_case) is None


def record_refusal(user, execution) -> str | None:
    """Why the user may not record results of (or attach evidence to) this run, or ``None``."""
    project = execution.cycle.project
    if not can(user, project, C.PARTICIPATE):
        return NOT_ALLOWED
    if execution.tester_id != user.pk and not can(user, project, C.EDIT):
        return _(NOT_YOUR_RUN).format(tester=_name(execution.tester))
    if execution.cycle.is_signed_off:
        return _(CYCLE_SIGNED_OFF)
    return None


def may_record(user, execution) -> bool:
    """Whether the user may record this run's results (open runs) or attach evidence (any run)."""
    return record_refusal(user, execution) is None
