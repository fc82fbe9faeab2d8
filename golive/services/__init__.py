"""Every write and every business rule of the go-live app, by sub-domain."""

from golive.services.readiness import (
    criteria_seed,
    criterion_assess,
    criterion_create,
    criterion_delete,
    criterion_update,
    readiness_run_cancel,
    readiness_run_claim,
    readiness_run_execute,
    readiness_run_mark_failed,
    readiness_run_request,
    readiness_runs_reconcile,
    readiness_runs_schedule,
    score_of,
)

__all__ = [
    "criteria_seed",
    "criterion_assess",
    "criterion_create",
    "criterion_delete",
    "criterion_update",
    "readiness_run_cancel",
    "readiness_run_claim",
    "readiness_run_execute",
    "readiness_run_mark_failed",
    "readiness_run_request",
    "readiness_runs_reconcile",
    "readiness_runs_schedule",
    "score_of",
]
