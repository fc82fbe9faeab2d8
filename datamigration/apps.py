from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatamigrationConfig(AppConfig):
    name = "datamigration"
    label = "datamigration"
    verbose_name = _("Master data migration")
    nav_items = [(_("Master data"), "datamigration:object_list")]
    portal_nav_items = [(_("Master data"), "datamigration-portal:object_list")]

    def ready(self):
        from auditlog.registry import auditlog

        from datamigration.models import FieldDefinition, MasterDataObject, MigrationRun, Upload

        auditlog.register(MasterDataObject, exclude_fields=["updated_at", "version", "saved_mapping"])
        auditlog.register(FieldDefinition)
        auditlog.register(Upload, exclude_fields=["updated_at", "version"])
        auditlog.register(
            MigrationRun,
            include_fields=["status", "mode", "cycle", "cancel_requested", "upload", "object"],
        )
