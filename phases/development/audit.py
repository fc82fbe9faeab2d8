"""Audit registration of the development models (django-auditlog, like ``projects.audit``).

``complexity`` and ``estimate_days`` are internal figures on a client-visible item, and the
audit trail is readable by client roles when the object is not internal; so they are left
out of the trail rather than leaked through it.
"""

from auditlog.registry import auditlog

INTERNAL_ITEM_FIELDS = ["complexity", "estimate_days"]


def register_models():
    from phases.development.models import DevelopmentItem, Environment, Release

    auditlog.register(
        DevelopmentItem,
        exclude_fields=["updated_at", "version", "status_changed_at", *INTERNAL_ITEM_FIELDS],
        m2m_fields={"requirements", "process_designs", "function_descriptions"},
    )
    auditlog.register(Environment, exclude_fields=["updated_at", "version"])
    auditlog.register(Release, exclude_fields=["updated_at", "version"], m2m_fields={"items"})
