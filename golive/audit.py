"""Audit registration of the go-live models (django-auditlog, like ``projects.audit``).

Readiness results are a run's output, written by the worker: the run's own entry (requested,
cancelled) and its results are the trail; results are not audited row by row. A decision's
snapshot is left out of its entries (it holds internal results).
"""

from auditlog.registry import auditlog


def register_models():
    from golive.models import (
        Attendance,
        CutoverRun,
        CutoverRunTask,
        CutoverTask,
        EscalationLevel,
        GoNoGoDecision,
        ReadinessCriterion,
        ReadinessRun,
        Runbook,
        SupportPlan,
        SupportTeam,
        TrainingSession,
        UserGuide,
        UserGuideVersion,
    )

    excluded = ["updated_at", "version"]
    auditlog.register(ReadinessCriterion, exclude_fields=excluded)
    auditlog.register(
        ReadinessRun, exclude_fields=["updated_at", "lease_token", "lease_until", "worker", "criteria_done"]
    )
    auditlog.register(Runbook, exclude_fields=excluded)
    auditlog.register(CutoverTask, exclude_fields=excluded, m2m_fields={"predecessors"})
    auditlog.register(CutoverRun, exclude_fields=excluded)
    auditlog.register(CutoverRunTask, exclude_fields=excluded)
    # The snapshot copies every result of the run, internal ones included: it is read through
    # ``selectors.snapshot_for`` (client roles get the client-visible part), never the trail.
    auditlog.register(GoNoGoDecision, exclude_fields=[*excluded, "snapshot"], m2m_fields={"attendees"})
    auditlog.register(SupportPlan, exclude_fields=excluded)
    auditlog.register(SupportTeam, exclude_fields=excluded, m2m_fields={"members"})
    auditlog.register(EscalationLevel, exclude_fields=excluded)
    auditlog.register(TrainingSession, exclude_fields=excluded, m2m_fields={"processes"})
    auditlog.register(Attendance, exclude_fields=excluded)
    auditlog.register(UserGuide, exclude_fields=excluded, m2m_fields={"processes"})
    auditlog.register(UserGuideVersion, exclude_fields=excluded)
