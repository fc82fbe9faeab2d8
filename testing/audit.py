"""Audit registration of the testing models (django-auditlog, like ``projects.audit``)."""

from auditlog.registry import auditlog


def register_models():
    from testing.models import (
        Case,
        CaseStep,
        Cycle,
        CycleCase,
        Defect,
        DefectComment,
        Evidence,
        Execution,
        LoadTestResult,
        StepResult,
    )

    auditlog.register(Case, exclude_fields=["updated_at", "version"], m2m_fields={"requirements", "development_items"})
    auditlog.register(CaseStep, exclude_fields=["updated_at"])
    auditlog.register(Cycle, exclude_fields=["updated_at", "version"])
    auditlog.register(CycleCase, exclude_fields=["updated_at"])
    auditlog.register(Execution, exclude_fields=["updated_at"])
    auditlog.register(StepResult, exclude_fields=["updated_at"])
    auditlog.register(Evidence, exclude_fields=["updated_at"])
    auditlog.register(Defect, exclude_fields=["updated_at", "version"])
    auditlog.register(DefectComment, exclude_fields=["updated_at"])
    auditlog.register(LoadTestResult, exclude_fields=["updated_at"])
