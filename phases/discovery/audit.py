"""Audit registration of the discovery models (django-auditlog), as ``projects.audit`` does."""

from auditlog.registry import auditlog


def register_models():
    from phases.discovery import models as m

    skip = ["updated_at", "version"]
    auditlog.register(m.Stakeholder, exclude_fields=skip)
    auditlog.register(m.Kickoff, exclude_fields=skip, m2m_fields={"attendee_members", "attendee_stakeholders"})
    auditlog.register(m.RaciActivity, exclude_fields=["updated_at"])
    auditlog.register(m.RaciAssignment, exclude_fields=["updated_at"])
    auditlog.register(m.CurrentProcess, exclude_fields=skip)
    # the trail of a requirement is readable by client roles: internal notes stay out of it
    auditlog.register(m.Requirement, exclude_fields=[*skip, "internal_notes"], m2m_fields={"processes"})
    auditlog.register(m.RaidItem, exclude_fields=skip)
    auditlog.register(m.RolloutWave, exclude_fields=skip)
    auditlog.register(m.RolloutSite, exclude_fields=["updated_at"])
    auditlog.register(m.PlanDocument, exclude_fields=skip)
    auditlog.register(m.DiscoverySignoff, exclude_fields=["updated_at"])
