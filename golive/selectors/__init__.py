"""Read queries of the go-live app, by sub-domain; ``from golive import selectors`` sees them all."""

from golive.selectors.readiness import (
    Change,
    Summary,
    compare,
    criterion_get,
    criterion_list,
    history,
    latest_run,
    result_list,
    run_get,
    run_list,
    summary,
)

__all__ = [
    "Change",
    "Summary",
    "compare",
    "criterion_get",
    "criterion_list",
    "history",
    "latest_run",
    "result_list",
    "run_get",
    "run_list",
    "summary",
]
