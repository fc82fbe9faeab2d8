from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatamigrationConfig(AppConfig):
    name = "datamigration"
    label = "datamigration"
    verbose_name = _("Master data migration")
    nav_items = [(_("Master data"), "datamigration:object_list")]
    portal_nav_items = [(_("Master data"), "datamigration-portal:object_list")]

    def ready(self):
        from datamigration import audit

        audit.register_models()
