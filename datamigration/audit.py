"""Audit registration of the datamigration models (django-auditlog, like ``projects.audit``).

A run is audited for what a person decides (mode, cycle, status, cancel), not for the
counters its worker updates every chunk; staged records and row errors are data, not
decisions, and are not audited (a load writes millions of them).
"""

from auditlog.registry import auditlog


def register_models():
    from datamigration.models import FieldDefinition, MasterDataObject, MigrationRun, Upload

    auditlog.register(MasterDataObject, exclude_fields=["updated_at", "version", "saved_mapping"])
    auditlog.register(FieldDefinition)
    auditlog.register(Upload, exclude_fields=["updated_at", "version"])
    auditlog.register(
        MigrationRun,
        include_fields=["status", "mode", "cycle", "cancel_requested", "upload", "object"],
    )
