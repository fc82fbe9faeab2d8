"""Audit registration of the design models (django-auditlog, like ``projects.audit``).

The BPMN XML itself is left out of the trail (it can be megabytes); its file name is
recorded, and the full earlier content of an approved design is kept as a
``ProcessDesignVersion``.
"""

from auditlog.registry import auditlog


def register_models():
    from phases.design.models import (
        FunctionDescription,
        ProcessDesign,
        ProcessDesignVersion,
        ProcessStep,
        TechnicalRequirement,
    )

    auditlog.register(ProcessDesign, exclude_fields=["updated_at", "version", "bpmn_xml"], m2m_fields={"requirements"})
    auditlog.register(ProcessStep, exclude_fields=["updated_at"])
    auditlog.register(ProcessDesignVersion, exclude_fields=["updated_at", "bpmn_xml", "steps", "requirements"])
    auditlog.register(FunctionDescription, exclude_fields=["updated_at", "version"])
    auditlog.register(TechnicalRequirement, exclude_fields=["updated_at", "version"])
