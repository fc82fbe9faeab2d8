"""Go-live: the hook for the go-live app's rows (empty while ``golive`` has no models).

When ``golive`` gets its models (cutover plan and tasks, readiness assessments with their
check results, go/no-go decisions, training sessions), generate them here in realistic
proportions for a project in its testing phase (e.g. a cutover plan of ~300 tasks, mostly
not started; two readiness assessments, the latest with some checks failing; one pending
go/no-go sign-off through ``plan.approval``) with ``ctx.bulk``, and list the counts the
report should print. Nothing else needs to change: ``STEPS`` in ``__init__`` calls it in
order.
"""

from projects.bigproject.base import Context


def generate(ctx: Context) -> None:
    return None
